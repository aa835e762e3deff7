"""Run the Flee ruleset; the result feeds Flee's validation metric and the report.

The result is an xarray Dataset (time x camp) holding simulated and observed counts, so the
metric, the figures and any later analysis read one object.
"""

from __future__ import annotations

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

__all__ = ["simulate_flee", "validate", "camp_figure", "write_validation_report"]


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
    return xr.Dataset(
        {
            "sim": (("time", "camp"), sim.camp_counts),
            "obs": (("time", "camp"), observed),
            "spawned": ("time", sim.spawned),
            "agents": ("time", alive),
        },
        coords={"time": pd.date_range(flee.start_date, periods=days, freq="D"), "camp": camps},
        attrs={
            "ruleset": "flee", "flee_rules": flee.flee_rules, "conflict": flee.name, "seed": seed,
            "days": days,
            "agents_final": int(a.n), "agents_at_places": int(sim.count.sum()),
            "agents_on_links": on_links, "agent_steps": int(alive.sum()),
            "wall_seconds": wall, "phase_seconds": json.dumps(seconds),
        },
    )
