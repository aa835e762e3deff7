"""The US–Mexico corridor model: the day's ordered phases, the levers and outputs they declare,
and how a run is assembled from a scenario (world -> phases -> parameters -> timeline -> simulation).

The tuple :data:`DAY` is the one place where the order of a simulated day is visible."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import numpy as np
import xarray as xr

from corridor.engine.loop import Run
from corridor.engine.shared import check_day_order
from corridor.levers import Lever, Overrides, ParameterSet
from corridor.models.us_mexico.phases import Phase, travel
from corridor.models.us_mexico.phases.bilateral import Bilateral, check_bargain_has_a_record, new_bargain_counters
from corridor.models.us_mexico.phases.bookkeeping import Bookkeeping
from corridor.models.us_mexico.phases.border import Border
from corridor.models.us_mexico.phases.budget import Budget
from corridor.models.us_mexico.phases.checkpoints import Checkpoints
from corridor.models.us_mexico.phases.departure import SEASONALITY, Departure
from corridor.models.us_mexico.phases.detention import Detention
from corridor.models.us_mexico.phases.home import Home
from corridor.models.us_mexico.phases.parole import Parole
from corridor.models.us_mexico.phases.policy_events import PolicyEvents
from corridor.models.us_mexico.phases.route_choice import RouteChoice
from corridor.models.us_mexico.phases.travel import Travel
from corridor.models.us_mexico.phases.us_processing import USProcessing
from corridor.models.us_mexico.phases.word_of_mouth import JourneyTally, WordOfMouth
from corridor.models.us_mexico.simulation import SharedState, Simulation, check_columns_fit, new_counters
from corridor.models.us_mexico.world import World, build_world
from corridor.policy import Timeline
from corridor.results.dataset import to_dataset
from corridor.results.outputs import Output
from corridor.scenario.load import Scenario, load_scenario

# One simulated day, in order.
DAY: tuple[type[Phase], ...] = (
    PolicyEvents,
    Bilateral,
    Parole,
    Departure,
    Home,
    Border,
    RouteChoice,
    Checkpoints,
    Travel,
    Detention,
    Budget,
    USProcessing,
    WordOfMouth,
    Bookkeeping,
)
# The results variables, each declared by the phase that writes it.
OUTPUTS: tuple[Output, ...] = tuple(output for phase in DAY for output in phase.OUTPUTS)


def us_mexico_phases(world: World) -> list[Phase]:
    """One simulated day's phases, built for ``world``."""
    return [phase(world) for phase in DAY]


def all_levers(phases: list) -> list[Lever]:
    return [lever for phase in phases for lever in phase.LEVERS]


def default_parameters(world: World, phases: list, overrides: Mapping, origin: Path) -> ParameterSet:
    """Lever defaults, then values read from the scenario's tables, then the parameters block."""
    table = {"departure.seasonality": np.array(SEASONALITY), "checkpoints.count": world.route_checkpoints}
    table.update(travel.table_defaults())
    params = ParameterSet(all_levers(phases), world.index_names(), table)
    params.apply_overrides(overrides, origin, "parameters.")
    return params


class USMexicoModel:
    """The registry's entry for ``ruleset: us_mexico`` (the default)."""

    ruleset = "us_mexico"
    title = "US–Mexico corridor"
    scenario_type = Scenario
    not_applicable: ClassVar[dict[str, str]] = {
        "validate-flee": "it scores Flee scenarios against UNHCR camp counts; "
        "score this scenario with run, ensemble or calibrate"
    }

    def load(self, folder: Path) -> Scenario:
        return load_scenario(folder)

    def build(
        self,
        scenario: Scenario,
        seed: int | None = None,
        overrides: Overrides | None = None,
        scale: float | None = None,
    ) -> Run:
        """The run of ``scenario``: ``overrides`` set levers on top of its parameters (and pin them
        against its dated 'set' events), ``seed`` and ``scale`` replace its own."""
        config = scenario.config
        world = build_world(scenario)
        check_columns_fit(world, scenario.folder)
        phases = us_mexico_phases(world)
        check_day_order(phases, SharedState)
        params = default_parameters(world, phases, config.parameters, scenario.folder / "scenario.yaml")
        if overrides:
            params.apply_overrides(overrides, Path("--set"))
        events = scenario.timeline_events()
        check_bargain_has_a_record(world, params, events, scenario.folder / "scenario.yaml")
        timeline = Timeline(events, config.start, params, pinned=overrides)
        sim = Simulation(
            world=world,
            params=params,
            timeline=timeline,
            seed=config.seed if seed is None else seed,
            scale=config.scale if scale is None else scale,
        )
        sim.counters = new_counters(world) | new_bargain_counters(world.n_days)
        sim.shared.tally = JourneyTally.empty(len(world.groups), len(world.route_names))
        sim.shared.released = np.zeros(len(world.groups))
        return Run(sim=sim, phases=phases, n_days=world.n_days, params=params, overrides=dict(overrides or {}))

    def results(self, run: Run, scenario: Scenario, stats: Mapping) -> xr.Dataset:
        return to_dataset(run.sim, scenario, OUTPUTS, run.overrides)

    def agent_steps(self, run: Run) -> int:
        return run.sim.shared.agent_steps


MODEL = USMexicoModel()
