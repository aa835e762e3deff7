"""The mutable state of one run: agents, lever values, counters and the day state phases share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from corridor.engine.state import AgentState
from corridor.levers import ParameterSet
from corridor.models.us_mexico.world import AUTHORITIES, COMPONENTS, DEMOGRAPHICS, US_OUTCOMES, World
from corridor.policy import Timeline

if TYPE_CHECKING:
    from corridor.models.us_mexico.phases.word_of_mouth import Heard, JourneyTally

AGENT_SCHEMA = {
    "id": np.int64,  # stable id: keys every random draw (common random numbers across scenarios)
    "group": np.int64,  # nationality group
    "demographic": np.int64,  # index into DEMOGRAPHICS
    "origin": np.int64,  # row of origins.csv the agent left from
    "place": np.int64,  # current (or last) place
    "status": np.int64,  # world.Status code
    "link": np.int64,  # current route, -1 when at a place
    "km_left": np.float64,  # km still to travel on the link
    "days": np.int64,  # days in the current status
    "attempts": np.int64,  # US encounters so far
    "smuggled": np.int64,  # 1 if travelling with a smuggler
    "expelled": np.int64,  # 1 if the last US outcome sent the agent back to Mexico
    "hearing_day": np.int64,  # Remain in Mexico: day of the US court hearing
    "money": np.float64,  # USD the agent still has for the road (phases/budget.py)
}


def new_counters(world: World) -> dict[str, np.ndarray]:
    """Daily counters in agents (divided by the scale into people when results are built)."""
    days, groups, places, routes = world.n_days, len(world.groups), len(world.place_names), len(world.route_names)
    shape_encounters = (days, len(world.sector_names), len(COMPONENTS), groups, len(DEMOGRAPHICS), len(AUTHORITIES))
    return {
        "encounters": np.zeros(shape_encounters),
        "repeat_encounters": np.zeros(days),
        "departures": np.zeros((days, groups)),
        "mx_apprehensions": np.zeros((days, places)),
        "mx_deportations": np.zeros((days, groups)),
        "mx_releases": np.zeros((days, groups)),
        "mx_decompressions": np.zeros((days, groups)),
        "mx_land_returns": np.zeros((days, groups)),
        "mx_decompression_cost_usd": np.zeros(days),
        "out_of_money": np.zeros((days, groups)),
        "mx_detained": np.zeros(days),
        "mx_removal_cost_usd": np.zeros(days),
        "waiting": np.zeros((days, places)),
        "route_entries": np.zeros((days, routes)),
        "deaths": np.zeros((days, routes)),
        "rescues": np.zeros((days, routes)),
        "us_outcomes": np.zeros((days, len(US_OUTCOMES))),
        "backlog": np.zeros(days),
        "bribes_paid_usd": np.zeros(days),
        "smuggler_fees_usd": np.zeros(days),
        "mexico_effort": np.zeros(days),
    }


@dataclass
class SharedState:
    """Values one phase hands to others (each phase declares them in ``PRODUCES`` / ``READS``).
    Counts are in agents, like the counters; people = agents / scale at the results boundary."""

    effort: float | None = None  # Mexico's enforcement effort today (None before the first day)
    heard: Heard | None = None  # what each nationality remembers of others' journeys (None before news arrives)
    tally: JourneyTally | None = None  # today's journeys by nationality, emptied each night by word of mouth
    released: float = 0.0  # agents released into the US since the start (the asylum backlog added)
    agent_steps: int = 0  # agents alive, summed over the days so far (a measure of the work done)


@dataclass
class Simulation:
    world: World
    params: ParameterSet
    timeline: Timeline
    seed: int
    scale: float  # agents per person
    state: AgentState = field(default_factory=lambda: AgentState(AGENT_SCHEMA))
    counters: dict[str, np.ndarray] = field(default_factory=dict)
    shared: SharedState = field(default_factory=SharedState)
