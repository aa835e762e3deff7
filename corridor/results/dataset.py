"""Counters -> xarray Dataset in people (agents divided by the scale), with named coordinates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from corridor.results.outputs import Output
from corridor.scenario.schema import FLOWS, MODES
from corridor.models.us_mexico.world import AUTHORITIES, COMPONENTS, DEMOGRAPHICS, US_OUTCOMES

OUTPUTS = [
    Output("encounters", ("time", "sector", "component", "group", "demographic", "authority"), "people/day",
           "US southwest-border encounters (Border Patrol apprehensions and port inadmissibles) under Title 8 or 42",
           "flow"),
    Output("repeat_encounters", ("time",), "people/day", "US encounters of people encountered before in the run", "flow"),
    Output("departures", ("time", "group"), "people/day", "people setting out from their origin", "flow"),
    Output("mx_apprehensions", ("time", "place"), "people/day", "apprehensions by Mexican authorities, by place",
           "flow"),
    Output("mx_deportations", ("time", "group"), "people/day", "returns from Mexico to the country of origin", "flow"),
    Output("mx_releases", ("time", "group"), "people/day",
           "people released from Mexican detention where they were held", "flow"),
    Output("mx_decompressions", ("time", "group"), "people/day",
           "people Mexico moved from detention to southern cities", "flow"),
    Output("mx_detained", ("time",), "people", "people held in Mexican migration detention at the end of the day",
           "stock"),
    Output("waiting", ("time", "border_city"), "people",
           "people waiting in each Mexican border city (for an appointment, a crossing or a US hearing)", "stock"),
    Output("route_entries", ("time", "route"), "people/day", "people setting out on each route", "flow"),
    Output("crossings", ("time", "route"), "people/day", "people setting out on routes into the US", "flow"),
    Output("deaths", ("time", "route"), "people/day", "deaths on each route", "flow"),
    Output("rescues", ("time", "route"), "people/day", "people rescued on each route", "flow"),
    Output("us_outcomes", ("time", "us_outcome"), "people/day", "what followed a US encounter", "flow"),
    Output("backlog", ("time",), "people",
           "people released into the US since the start, each adding a case to the immigration-court backlog",
           "stock"),
    Output("bribes_paid_usd", ("time",), "USD/day", "bribes paid at Mexican checkpoints", "flow"),
    Output("smuggler_fees_usd", ("time",), "USD/day", "fees paid to smugglers", "flow"),
    Output("mexico_effort", ("time",), "1 (index, 1 = early 2019)", "Mexico's migration-enforcement effort", "state"),
]


def to_dataset(sim, scenario) -> xr.Dataset:
    world = sim.world
    counters = dict(sim.counters)
    border = np.flatnonzero(world.place_is_border_city)
    counters["waiting"] = counters["waiting"][:, border]
    # crossings into the US: the entries onto routes of the 'crossing' flow
    counters["crossings"] = counters["route_entries"] * (world.route_flow == FLOWS.index("crossing"))
    data = {out.name: (out.dims, counters[out.name] / sim.scale if out.scaled else counters[out.name])
            for out in OUTPUTS}
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
