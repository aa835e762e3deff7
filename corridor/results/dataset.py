"""Counters -> xarray Dataset in people (agents divided by the scale), with named coordinates.

The Dataset describes itself: every variable and coordinate carries CF attributes (units,
long_name, cell_methods), places their lat/lon, the days after the observed data a ``forecast``
flag (:mod:`corridor.results.forecast`), and the Dataset the run's provenance
(:mod:`corridor.results.provenance`). Files are NetCDF4 (HDF5, via h5netcdf) with zlib
compression: most counter cells are zero, so a run shrinks about twentyfold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import xarray as xr
from xarray.backends import H5NetCDFStore
from xarray.backends.locks import HDF5_LOCK

from corridor.models.us_mexico.world import AUTHORITIES, COMPONENTS, DEMOGRAPHICS, US_OUTCOMES
from corridor.observed import OBSERVED_UNTIL
from corridor.results.forecast import marked
from corridor.results.outputs import LAT_ATTRS, LON_ATTRS, TIME_ATTRS, Output
from corridor.results.provenance import run_attributes, stamped
from corridor.scenario.schema import FLOWS, MODES

# what each coordinate names (CF long_name; time, lat and lon also a CF standard_name)
COORDINATE_ATTRS = {
    "time": TIME_ATTRS,
    "sector": {"long_name": "US Border Patrol sector on the southwest border"},
    "component": {"long_name": "CBP component: Border Patrol (usbp) between ports, Field Operations (ofo) at ports"},
    "group": {"long_name": "nationality group of the migrants"},
    "demographic": {"long_name": "CBP demographic: single adult, family unit member or unaccompanied child"},
    "authority": {"long_name": "US legal authority of the encounter (Title 8 or Title 42)"},
    "place": {"long_name": "place of the network (scenario places.csv)"},
    "lat": LAT_ATTRS,
    "lon": LON_ATTRS,
    "border_city": {"long_name": "Mexican border city where people wait"},
    "route": {"long_name": "route between two places by one mode (scenario routes.csv)"},
    "route_mode": {"long_name": "mode of travel on the route"},
    "us_outcome": {"long_name": "what followed a US encounter"},
}


def to_dataset(sim, scenario, outputs: Sequence[Output], overrides: Mapping[str, object] | None = None) -> xr.Dataset:
    """The run's results in people, described variable by variable; ``overrides`` (the run's
    ``--set`` levers) are recorded in the attrs."""
    world = sim.world
    counters = dict(sim.counters)
    border = np.flatnonzero(world.place_is_border_city)
    counters["waiting"] = counters["waiting"][:, border]
    # crossings into the US: the entries onto routes of the 'crossing' flow
    counters["crossings"] = counters["route_entries"] * (world.route_flow == FLOWS.index("crossing"))
    data = {
        out.name: (out.dims, counters[out.name] / sim.scale if out.scaled else counters[out.name], out.attrs)
        for out in outputs
    }
    coords = {
        "time": world.dates,
        "sector": world.sector_names,
        "component": list(COMPONENTS),
        "group": world.groups,
        "demographic": list(DEMOGRAPHICS),
        "authority": list(AUTHORITIES),
        "place": world.place_names,
        "lat": ("place", [place.lat for place in scenario.places]),
        "lon": ("place", [place.lon for place in scenario.places]),
        "border_city": world.border_city_names,
        "route": world.route_names,
        "route_mode": ("route", [MODES[mode] for mode in world.route_mode]),
        "us_outcome": list(US_OUTCOMES),
    }
    config = scenario.config
    attrs = run_attributes(
        "us_mexico",
        config.name,
        scenario.content_sha256(),
        sim.seed,
        config.start,
        config.end,
        config.report_start or config.start,
        scale=sim.scale,
        overrides=overrides,
    )
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    for name, coordinate_attrs in COORDINATE_ATTRS.items():
        ds[name].attrs.update(coordinate_attrs)
    return marked(ds, OBSERVED_UNTIL)


def save(ds: xr.Dataset, path: str | Path) -> Path:
    """Compressed NetCDF4 with the time of writing in the attrs; :func:`load` reads it back."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = {name: {"zlib": True, "complevel": 4, "shuffle": True} for name in ds.data_vars}
    # the file to_netcdf(path, engine="h5netcdf") writes, through its store opened with xarray's HDF5
    # lock: to_netcdf adds a lock for dask's scheduler, asking dask which runs, which imports
    # dask.distributed (0.4 s) though no dask writes here
    store = H5NetCDFStore.open(path, mode="w", lock=HDF5_LOCK)
    try:
        stamped(ds).dump_to_store(store, encoding=encoding)
    finally:
        store.close()
    return path


def load(path: str | Path) -> xr.Dataset:
    return xr.load_dataset(path, engine="h5netcdf")
