"""``simulate(scenario, seed, overrides) -> xarray.Dataset``: the pure function everything calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from corridor.engine.loop import Run
from corridor.levers import Overrides
from corridor.models import Model, model_for
from corridor.scenario.load import load_scenario


@dataclass
class Assembled:
    """A scenario, its model and the run the model built from it, before any day has run."""

    scenario: Any
    model: Model
    run: Run

    def simulate(self, on_day: Callable[[int], None] | None = None) -> tuple[xr.Dataset, dict]:
        """Run every day; the results and ``{"phase_seconds", "wall_seconds", "agent_steps"}``."""
        stats = self.run.execute(on_day)
        stats["agent_steps"] = self.model.agent_steps(self.run)
        return self.model.results(self.run, self.scenario, stats), stats


def assemble(
    scenario: Any, seed: int | None = None, overrides: Overrides | None = None, scale: float | None = None
) -> Assembled:
    """Load ``scenario`` if it is a folder and build its run with the model its ruleset names: a
    mistake in the scenario or the options is raised here, before the first day."""
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    model = model_for(scenario)
    return Assembled(scenario, model, model.build(scenario, seed=seed, overrides=overrides, scale=scale))


def simulate(
    scenario: Any,
    seed: int | None = None,
    overrides: Overrides | None = None,
    scale: float | None = None,
    on_day: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run one scenario; same scenario, seed and overrides give an identical Dataset.
    See :func:`simulate_timed` for the arguments."""
    return simulate_timed(scenario, seed, overrides, scale, on_day)[0]


def simulate_timed(
    scenario: Any,
    seed: int | None = None,
    overrides: Overrides | None = None,
    scale: float | None = None,
    on_day: Callable[[int], None] | None = None,
) -> tuple[xr.Dataset, dict]:
    """Run one scenario (a folder, or a scenario loaded by ``load_scenario``) with the model its
    ruleset names; also return ``{"phase_seconds": {...}, "wall_seconds": s, "agent_steps": n}``
    (agents alive summed over days) for benchmarks and the command line.

    ``overrides`` set levers (``{"checkpoints.detect_each": 0.05}`` or
    ``{"border.city_enforcement": {"Tijuana": 3}}``) on top of the scenario's parameters; an
    overridden lever ignores the scenario's dated 'set' events (``{"title42.active": 0}`` means
    Title 42 never applies) but still follows its 'scale' events. ``scale`` (agents per person)
    replaces the scenario's. A model without levers or scale (Flee) raises a ScenarioError for them.
    """
    return assemble(scenario, seed, overrides, scale).simulate(on_day)
