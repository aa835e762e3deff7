"""Run the Flee ruleset; the result feeds Flee's validation metric and the report.

The result is an xarray Dataset (time x camp) holding simulated and observed counts, so the
metric, the figures and any later analysis read one object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from corridor.engine.loop import run_days
from corridor.models.flee.importer import open_flee
from corridor.models.flee.metric import validate
from corridor.models.flee.model import FleeInput
from corridor.models.flee.phases import flee_phases, new_sim
from corridor.models.flee.report import camp_figure, write_validation_report
from corridor.results.outputs import LAT_ATTRS, LON_ATTRS, TIME_ATTRS, Output
from corridor.results.provenance import run_attributes

__all__ = ["simulate_flee", "validate", "camp_figure", "write_validation_report"]

# a Flee agent is one person, so nothing is scaled
FLEE_OUTPUTS = (
    Output("sim", ("time", "camp"), "people", "simulated people in each validated camp at the end of the day", "stock"),
    Output("obs", ("time", "camp"), "people",
           "observed (UNHCR) people in each validated camp, as Flee interpolates them", "stock"),
    Output("spawned", ("time",), "people/day", "people newly added to the simulation (spawned at conflict zones)",
           "flow"),
    Output("agents", ("time",), "people", "people in the simulation at the end of the day", "stock"),
)


def simulate_flee(scenario: FleeInput | str | Path, seed: int = 0,
                  days: int | None = None) -> xr.Dataset:
    """Simulate a Flee conflict (FleeInput, Flee folder or imported scenario folder)."""
    flee = scenario if isinstance(scenario, FleeInput) else open_flee(scenario)
    days = flee.days if days is None else min(days, flee.days)
    start = time.perf_counter()
    sim = new_sim(flee, seed=seed, days=days)
    alive = np.zeros(days, np.int64)

    def count_alive(day: int) -> None:
        alive[day] = sim.agents.n

    seconds = run_days(sim, flee_phases(), days, on_day=count_alive)
    wall = time.perf_counter() - start
    camps = [sim.world.names[c] for c in sim.world.camp_list]
    observed = sim.observed[[sim.series.index(c) for c in camps]].T
    a = sim.agents
    on_links = int(a.travelling.sum())
    values = {"sim": sim.camp_counts, "obs": observed, "spawned": sim.spawned, "agents": alive}
    location = {place.name: place for place in flee.locations}
    end = flee.start_date + dt.timedelta(days=days - 1)
    # the scenario's content hash is taken over its validated contents, which a Flee folder and its
    # imported copy share
    content = hashlib.sha256(flee.model_dump_json().encode("utf-8")).hexdigest()
    return xr.Dataset(
        {out.name: (out.dims, values[out.name], out.attrs) for out in FLEE_OUTPUTS},
        coords={"time": ("time", pd.date_range(flee.start_date, periods=days, freq="D"), TIME_ATTRS),
                "camp": ("camp", camps, {"long_name": "camp with an observed (UNHCR) series"}),
                "lat": ("camp", [location[camp].latitude for camp in camps], LAT_ATTRS),
                "lon": ("camp", [location[camp].longitude for camp in camps], LON_ATTRS)},
        attrs={
            **run_attributes("flee", flee.name, content, seed, flee.start_date, end, flee.start_date),
            "flee_rules": flee.flee_rules, "conflict": flee.name,
            "days": days,
            "agents_final": int(a.n), "agents_at_places": int(sim.count.sum()),
            "agents_on_links": on_links, "agent_steps": int(alive.sum()),
            "wall_seconds": wall, "phase_seconds": json.dumps(seconds),
        },
    )
