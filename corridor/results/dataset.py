"""Counters -> xarray Dataset in people (agents divided by the scale), with named coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from corridor.results.outputs import Output
from corridor.scenario.schema import FLOWS, MODES
from corridor.models.us_mexico.world import AUTHORITIES, COMPONENTS, DEMOGRAPHICS, US_OUTCOMES

def to_dataset(sim, scenario, outputs: Sequence[Output]) -> xr.Dataset:
    """The run's counters as the ``outputs`` its model's phases declare."""
    world = sim.world
    counters = dict(sim.counters)
    border = np.flatnonzero(world.place_is_border_city)
    counters["waiting"] = counters["waiting"][:, border]
    # crossings into the US: the entries onto routes of the 'crossing' flow
    counters["crossings"] = counters["route_entries"] * (world.route_flow == FLOWS.index("crossing"))
    data = {out.name: (out.dims, counters[out.name] / sim.scale if out.scaled else counters[out.name])
            for out in outputs}
    coords = {
        "time": world.dates,
        "sector": world.sector_names,
        "component": list(COMPONENTS),
        "group": world.groups,
        "demographic": list(DEMOGRAPHICS),
        "authority": list(AUTHORITIES),
        "place": world.place_names,
        "border_city": world.border_city_names,
        "route": world.route_names,
        "route_mode": ("route", [MODES[mode] for mode in world.route_mode]),
        "us_outcome": list(US_OUTCOMES),
    }
    config = scenario.config
    attrs = {
        "scenario": config.name,
        "seed": sim.seed,
        "scale": sim.scale,
        "report_start": str(config.report_start or config.start),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


def save(ds: xr.Dataset, path: str | Path) -> Path:
    """NetCDF (scipy backend, no compiled HDF5 needed). NetCDF3 holds 32-bit integers only, so a
    larger integer attribute (a seed of 2**31 or more) is written as its digits."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wide = {name: str(value) for name, value in ds.attrs.items()
            if isinstance(value, int | np.integer) and not -(2**31) <= value < 2**31}
    ds.assign_attrs(wide).to_netcdf(path, engine="scipy")
    return path


def load(path: str | Path) -> xr.Dataset:
    return xr.load_dataset(path, engine="scipy")
