"""The mutable state of one run: agents, lever values, counters and the day state phases share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.engine.state import AgentState
from corridor.levers import ParameterSet
from corridor.models.us_mexico.world import AUTHORITIES, COMPONENTS, DEMOGRAPHICS, US_OUTCOMES, World
from corridor.policy import Timeline
from corridor.scenario.errors import ScenarioError

if TYPE_CHECKING:
    from corridor.models.us_mexico.phases.word_of_mouth import Heard, JourneyTally

# Each column as narrow as what it holds allows (48 bytes an agent): the kernels pass over every agent on the
# road in every phase, so fewer bytes read is less time. check_columns_fit refuses a world they cannot hold.
AGENT_SCHEMA = {
    "id": np.int64,  # stable id: keys every random draw (common random numbers across scenarios)
    "group": np.int8,  # nationality group
    "demographic": np.int8,  # index into DEMOGRAPHICS
    "origin": np.int16,  # row of origins.csv the agent left from
    "place": np.int16,  # current (or last) place
    "status": np.int8,  # world.Status code
    "link": np.int16,  # current route, -1 when at a place
    "km_left": np.float64,  # km still to travel on the link (float32 would round where arrivals fall)
    "days": np.int16,  # days in the current status, at most the run's (at home: left as it was, see home_since)
    "attempts": np.int16,  # US encounters so far: at most one a day
    "smuggled": np.int8,  # 1 if travelling with a smuggler
    "expelled": np.int8,  # 1 if the last US outcome sent the agent back to Mexico
    "hearing_day": np.int32,  # Remain in Mexico: day of the US court hearing (a day of the run plus a wait)
    "money": np.float64,  # USD the agent still has for the road (phases/budget.py; float32 would round the cash)
    "home_since": np.int16,  # at home: days at home on day d are d - home_since (phases/home.py)
    "home_until": np.int16,  # at home: day the stay ends, drawn when it begins (phases/home.py); at most the run's end
    "home_fate": np.int8,  # at home: how the stay ends (home.Fate: not drawn yet, sets off again, counted out)
}


def check_columns_fit(world: World, folder: Path) -> None:
    """Refuse a world whose groups, origins, places, routes or days do not fit the agent columns that hold them,
    before a kernel would wrap them round silently. Days in one status and US encounters grow by at most one a day."""
    counts = {
        "group": (len(world.groups), "origins.csv", "groups"),
        "origin": (len(world.origin_group), "origins.csv", "origin rows"),
        "place": (len(world.place_names), "places.csv", "places"),
        "link": (len(world.route_names), "routes.csv", "routes"),
        "days": (world.n_days, "scenario.yaml", "days from start to end"),
        "attempts": (world.n_days, "scenario.yaml", "days from start to end"),
        "home_since": (world.n_days, "scenario.yaml", "days from start to end"),
        "home_until": (world.n_days, "scenario.yaml", "days from start to end"),
    }
    for column, (count, file, what) in counts.items():
        limit = int(np.iinfo(np.dtype(AGENT_SCHEMA[column]).name).max)
        if count > limit:
            raise ScenarioError(folder / file, f"too many {what} for one run", found=count, expected=f"at most {limit}")


def new_counters(world: World) -> dict[str, np.ndarray]:
    """Daily counters in agents (divided by the scale into people when results are built)."""
    days, groups, places, routes = world.n_days, len(world.groups), len(world.place_names), len(world.route_names)
    shape_encounters = (days, len(world.sector_names), len(COMPONENTS), groups, len(DEMOGRAPHICS), len(AUTHORITIES))
    return {
        "encounters": np.zeros(shape_encounters),
        "repeat_encounters": np.zeros(days),
        "departures": np.zeros((days, groups)),
        "paroled": np.zeros((days, groups)),
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
    # agents released into the US since the start, by group (the model sets one zero per group as it builds the run)
    released: np.ndarray = field(default_factory=lambda: np.zeros(0))
    agent_steps: int = 0  # agents alive, summed over the days so far (a measure of the work done)


@dataclass
class Simulation:
    world: World
    params: ParameterSet
    timeline: Timeline
    seed: int
    scale: float  # agents per person
    state: AgentState = field(default_factory=lambda: AgentState(AGENT_SCHEMA))  # everyone but those at home
    at_home: AgentState = field(default_factory=lambda: AgentState(AGENT_SCHEMA))  # returned home (phases/home.py)
    counters: dict[str, np.ndarray] = field(default_factory=dict)
    shared: SharedState = field(default_factory=SharedState)
