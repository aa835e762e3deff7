"""``simulate(scenario, seed, overrides) -> xarray.Dataset``: the pure function everything calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import xarray as xr

from corridor.engine.loop import run_days
from corridor.models.flee.model import FleeInput
from corridor.models.flee.simulate import simulate_flee
from corridor.models.us_mexico.model import default_parameters, us_mexico_phases
from corridor.policy import Timeline
from corridor.results.dataset import to_dataset
from corridor.scenario.load import Scenario, load_scenario
from corridor.models.us_mexico.simulation import Simulation, new_counters
from corridor.models.us_mexico.world import build_world


def simulate(
    scenario: Scenario | str | Path,
    seed: int | None = None,
    overrides: Mapping[str, float | Mapping[str, float]] | None = None,
    scale: float | None = None,
    on_day: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run one scenario; same scenario, seed and overrides give an identical Dataset.
    See :func:`simulate_timed` for the arguments."""
    return simulate_timed(scenario, seed, overrides, scale, on_day)[0]


def simulate_timed(
    scenario: Scenario | str | Path,
    seed: int | None = None,
    overrides: Mapping[str, float | Mapping[str, float]] | None = None,
    scale: float | None = None,
    on_day: Callable[[int], None] | None = None,
) -> tuple[xr.Dataset, dict]:
    """Run one scenario; also return ``{"phase_seconds": {...}, "agent_steps": n}`` (agents
    alive summed over days) for benchmarks and the command line.

    ``overrides`` set levers (``{"checkpoints.detect_each": 0.05}`` or
    ``{"border.city_enforcement": {"Tijuana": 3}}``) on top of the scenario's parameters; an
    overridden lever ignores the scenario's dated 'set' events (``{"title42.active": 0}`` means
    Title 42 never applies) but still follows its 'scale' events. ``scale`` (agents per person)
    replaces the scenario's.
    """
    if not isinstance(scenario, Scenario | FleeInput):
        scenario = load_scenario(scenario)
    if isinstance(scenario, FleeInput):  # a Flee scenario runs Flee's ruleset on the same engine
        ds = simulate_flee(scenario, seed=0 if seed is None else seed)
        return ds, {"phase_seconds": {}, "agent_steps": int(ds.attrs.get("agent_steps", 0))}
    config = scenario.config
    world = build_world(scenario)
    phases = us_mexico_phases(world)
    params = default_parameters(world, phases, config.parameters, scenario.folder / "scenario.yaml")
    if overrides:
        params.apply_overrides(overrides, Path("<overrides>"))
    timeline = Timeline(scenario.timeline_events(), config.start, params, pinned=overrides)
    sim = Simulation(world=world, params=params, timeline=timeline, seed=config.seed if seed is None else seed,
                     scale=config.scale if scale is None else scale)
    sim.counters = new_counters(world)
    seconds = run_days(sim, phases, world.n_days, on_day)
    return to_dataset(sim, scenario, overrides), {"phase_seconds": seconds, "agent_steps": sim.memory["agent_steps"]}
