"""``simulate(scenario, seed, overrides) -> xarray.Dataset``: the pure function everything calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import xarray as xr

from corridor.models import model_for
from corridor.scenario.load import load_scenario


def simulate(
    scenario: Any,
    seed: int | None = None,
    overrides: Mapping[str, float | Mapping[str, float]] | None = None,
    scale: float | None = None,
    on_day: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run one scenario; same scenario, seed and overrides give an identical Dataset.
    See :func:`simulate_timed` for the arguments."""
    return simulate_timed(scenario, seed, overrides, scale, on_day)[0]


def simulate_timed(
    scenario: Any,
    seed: int | None = None,
    overrides: Mapping[str, float | Mapping[str, float]] | None = None,
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
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    model = model_for(scenario)
    run = model.build(scenario, seed=seed, overrides=overrides, scale=scale)
    stats = run.execute(on_day)
    stats["agent_steps"] = model.agent_steps(run)
    return model.results(run, scenario, stats), stats
