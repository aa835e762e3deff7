"""Run the Flee ruleset; the result feeds Flee's validation metric and the report.

The result is an xarray Dataset (time x camp) holding simulated and observed counts, so the
metric, the figures and any later analysis read one object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import pandas as pd
import xarray as xr

from corridor.engine.loop import Run
from corridor.engine.shared import check_day_order
from corridor.levers import ParameterSet
from corridor.models.flee.importer import load_flee_scenario, open_flee
from corridor.models.flee.metric import validate
from corridor.models.flee.model import FleeInput
from corridor.models.flee.phases import FleeShared, flee_phases, new_sim
from corridor.models.flee.report import camp_figure, write_validation_report
from corridor.results.outputs import LAT_ATTRS, LON_ATTRS, TIME_ATTRS, Output
from corridor.results.provenance import run_attributes
from corridor.scenario.errors import ScenarioError

__all__ = ["FleeModel", "camp_figure", "simulate_flee", "validate", "write_validation_report"]

_NOT_A_LEVER_MODEL = "a Flee scenario has no levers: its rules follow the settings block of its scenario.yaml"


class FleeModel:
    """The registry's entry for ``ruleset: flee``: Flee's rules on corridor's engine, one agent per person."""

    ruleset = "flee"
    title = "Flee"
    scenario_type = FleeInput
    not_applicable: ClassVar[dict[str, str]] = {
        "levers": _NOT_A_LEVER_MODEL,
        "calibrate": "a Flee scenario is scored, not fitted: use validate-flee",
        "fit": "a Flee scenario is scored, not fitted: use validate-flee",
        "serve": f"the workbench moves levers and runs what-ifs, and {_NOT_A_LEVER_MODEL}",
        "ensemble": "use validate-flee --seeds N, which runs N seeds and reports Flee's error",
        "compare": f"compare reports the US–Mexico outputs, and {_NOT_A_LEVER_MODEL}",
        "counterfactuals": "its counterfactuals change US–Mexico events and levers",
    }

    def load(self, folder: Path) -> FleeInput:
        return load_flee_scenario(folder)

    def build(
        self,
        flee: FleeInput,
        seed: int | None = None,
        overrides: Mapping | None = None,
        scale: float | None = None,
        days: int | None = None,
    ) -> Run:
        """The run of ``flee`` (its first ``days`` days); levers and a scale do not apply to it."""
        if overrides:
            raise ScenarioError(
                "--set", f"lever overrides do not apply: {_NOT_A_LEVER_MODEL}", found=", ".join(overrides)
            )
        if scale is not None:
            raise ScenarioError(
                "--scale", "does not apply to a Flee scenario, which runs one agent per person", found=scale
            )
        days = flee.days if days is None else min(days, flee.days)
        sim = new_sim(flee, seed=0 if seed is None else seed, days=days)
        phases = flee_phases()
        check_day_order(phases, FleeShared)
        return Run(sim=sim, phases=phases, n_days=days, params=ParameterSet([], {}))

    def results(self, run: Run, flee: FleeInput, stats: Mapping) -> xr.Dataset:
        sim, days = run.sim, run.n_days
        camps = [sim.world.names[c] for c in sim.world.camp_list]
        observed = sim.observed[[sim.series.index(c) for c in camps]].T
        a = sim.agents
        values = {"sim": sim.camp_counts, "obs": observed, "spawned": sim.spawned, "agents": sim.alive}
        location = {place.name: place for place in flee.locations}
        end = flee.start_date + dt.timedelta(days=days - 1)
        # the scenario's content hash is taken over its validated contents, which a Flee folder and its
        # imported copy share
        content = hashlib.sha256(flee.model_dump_json().encode("utf-8")).hexdigest()
        return xr.Dataset(
            {out.name: (out.dims, values[out.name], out.attrs) for out in FLEE_OUTPUTS},
            coords={
                "time": ("time", pd.date_range(flee.start_date, periods=days, freq="D"), TIME_ATTRS),
                "camp": ("camp", camps, {"long_name": "camp with an observed (UNHCR) series"}),
                "lat": ("camp", [location[camp].latitude for camp in camps], LAT_ATTRS),
                "lon": ("camp", [location[camp].longitude for camp in camps], LON_ATTRS),
            },
            attrs={
                **run_attributes("flee", flee.name, content, sim.seed, flee.start_date, end, flee.start_date),
                "flee_rules": flee.flee_rules,
                "conflict": flee.name,
                "days": days,
                "agents_final": int(a.n),
                "agents_at_places": int(sim.count.sum()),
                "agents_on_links": int(a.travelling.sum()),
                "agent_steps": self.agent_steps(run),
                "wall_seconds": stats["wall_seconds"],
                "phase_seconds": json.dumps(stats["phase_seconds"]),
            },
        )

    def agent_steps(self, run: Run) -> int:
        return int(run.sim.alive.sum())


MODEL = FleeModel()

# a Flee agent is one person, so nothing is scaled
FLEE_OUTPUTS = (
    Output("sim", ("time", "camp"), "people", "simulated people in each validated camp at the end of the day", "stock"),
    Output(
        "obs",
        ("time", "camp"),
        "people",
        "observed (UNHCR) people in each validated camp, as Flee interpolates them",
        "stock",
    ),
    Output(
        "spawned", ("time",), "people/day", "people newly added to the simulation (spawned at conflict zones)", "flow"
    ),
    Output("agents", ("time",), "people", "people in the simulation at the end of the day", "stock"),
)


def simulate_flee(scenario: FleeInput | str | Path, seed: int = 0, days: int | None = None) -> xr.Dataset:
    """Simulate a Flee conflict (FleeInput, Flee folder or imported scenario folder), its first ``days`` days."""
    flee = open_flee(scenario) if isinstance(scenario, str | Path) else scenario
    run = MODEL.build(flee, seed=seed, days=days)
    return MODEL.results(run, flee, run.execute())
