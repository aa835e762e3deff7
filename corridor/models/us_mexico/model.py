"""The US–Mexico corridor model: the day's ordered phases and the levers they declare.

This list is the one place where the order of a simulated day is visible."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.levers import Lever, ParameterSet
from corridor.models.us_mexico.phases import travel
from corridor.models.us_mexico.phases.bilateral import Bilateral
from corridor.models.us_mexico.phases.bookkeeping import Bookkeeping
from corridor.models.us_mexico.phases.border import Border
from corridor.models.us_mexico.phases.checkpoints import Checkpoints
from corridor.models.us_mexico.phases.departure import SEASONALITY, Departure
from corridor.models.us_mexico.phases.detention import Detention
from corridor.models.us_mexico.phases.home import Home
from corridor.models.us_mexico.phases.parole import Parole
from corridor.models.us_mexico.phases.policy_events import PolicyEvents
from corridor.models.us_mexico.phases.route_choice import RouteChoice
from corridor.models.us_mexico.phases.travel import Travel
from corridor.models.us_mexico.phases.us_processing import USProcessing
from corridor.models.us_mexico.world import World


def us_mexico_phases(world: World) -> list:
    """One simulated day, in order."""
    return [
        PolicyEvents(),
        Bilateral(),
        Parole(),
        Departure(),
        Home(),
        Border(world),
        RouteChoice(world),
        Checkpoints(),
        Travel(),
        Detention(),
        USProcessing(),
        Bookkeeping(),
    ]


def all_levers(phases: list) -> list[Lever]:
    return [lever for phase in phases for lever in phase.LEVERS]


def default_parameters(world: World, phases: list, overrides: dict, origin: Path) -> ParameterSet:
    """Lever defaults, then values read from the scenario's tables, then the parameters block."""
    table = {"departure.seasonality": np.array(SEASONALITY), "checkpoints.count": world.route_checkpoints}
    table.update(travel.table_defaults())
    params = ParameterSet(all_levers(phases), world.index_names(), table)
    params.apply_overrides(overrides, origin, "parameters.")
    return params
