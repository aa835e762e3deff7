"""Returned home: people deported or removed to their origin, or who gave up, may set off again.

Repeat journeys after removal are part of why removals do not end flows (The New York Times,
late Feb/early Mar 2024, on decompression and removals). Who sets off again starts from home as on a
first journey: they raise cash for the road again and, if they travel with a smuggler, pay one again.

Most agents alive on most days are at home (nine in ten in the built-in run), each with a daily chance
``return.redeparture_rate`` of setting off again, counted out after ``return.max_days_home``. A daily chance is a
geometric waiting time, which has no memory: so when a stay begins, one draw gives the day it ends and how (it sets
off again on the day of its first success, or is counted out on the day its days at home pass the maximum, unless it
sets off that day), the same process as a draw every day. When either lever changes value, every stay at home is
drawn again from that day with the new values, which the lack of memory keeps exact.

People at home wait in a pool of their own (``sim.at_home``), so that no other phase's kernel passes over them,
ordered by the day their stay ends, latest first: each day's leavers are its last rows, and the pool costs what they
cost, not what its size does. Bookkeeping moves into it, weekly, everyone whose stay is drawn (until then their stay
ends on the road, in place, by the same rule); this phase moves those who set off again from the pool back among the
others, in the order of their ids, which is the order of their first departure, so the agents on the road are in the
same order as if nobody had left (detention seats go to the first in that order)."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import Agents, agents
from corridor.models.us_mexico.phases import LeverMemo, Phase
from corridor.models.us_mexico.phases.budget import set_out
from corridor.models.us_mexico.world import Status

LEVERS = [
    Lever(
        "return.redeparture_rate",
        0.001,
        "1/day",
        "hand-set prior (no series of repeat journeys after removal)",
        "daily chance that someone returned home leaves again",
        hi=1,
    ),
    Lever(
        "return.max_days_home",
        365.0,
        "days",
        "hand-set",
        "after this long at home a returnee is counted out",
        lo=1,
        hi=3650,
    ),
]

STAY = rng.decision_id("home.stay")


class Fate(IntEnum):
    """How a stay at home ends (int8 codes in the ``home_fate`` column)."""

    UNDRAWN = 0  # not at home, or at home since after today's home phase
    SETS_OFF = 1
    COUNTED_OUT = 2


class HomeLevers(NamedTuple):
    """The levers a stay at home is drawn with: when one changes value, every stay is drawn again."""

    redeparture_rate: float
    max_days_home: float


def home_levers(params) -> HomeLevers:
    """Today's values of the levers a stay is drawn with."""
    return HomeLevers(params.scalar("return.redeparture_rate"), params.scalar("return.max_days_home"))


@njit(cache=True)
def _draw_stay(agents, i, key, day, levers, end_of_run):
    """Draw from today the end of agent ``i``'s stay at home: the first of the day it sets off (a geometric number of
    days) and the day it is counted out (its days at home, counted on from its last status's, pass the maximum).
    A day past the run is kept as its end."""
    p = levers.redeparture_rate
    counted_out_on = max(day, agents.home_since[i] + int(np.floor(levers.max_days_home)) + 1)
    if p >= 1.0:
        sets_off_on = float(day)
    elif p <= 0.0:
        sets_off_on = np.inf
    else:  # P(not before day + k) = (1 - p)^k
        sets_off_on = day + np.floor(np.log1p(-rng.draw(key, agents.id[i])) / np.log1p(-p))
    if sets_off_on <= counted_out_on:  # on the last day, the draw comes first
        agents.home_fate[i] = Fate.SETS_OFF
        agents.home_until[i] = min(sets_off_on, end_of_run)
    else:
        agents.home_fate[i] = Fate.COUNTED_OUT
        agents.home_until[i] = min(counted_out_on, end_of_run)


@njit(cache=True)
def _stay_home(seed, day, agents, world, levers, end_of_run):
    """One day at home: draw the end of the stays that begin today and end today's; returns whether each agent set
    off again today."""
    key = rng.stream(seed, STAY, day)
    status = agents.status
    left = np.zeros(status.shape[0], np.bool_)
    for i in range(status.shape[0]):
        if status[i] != Status.HOME:
            continue
        if agents.home_fate[i] == Fate.UNDRAWN:
            agents.home_since[i] = day - agents.days[i] - 1
            _draw_stay(agents, i, key, day, levers, end_of_run)
        if agents.home_until[i] != day:
            continue
        if agents.home_fate[i] == Fate.SETS_OFF:
            status[i] = Status.AT_PLACE
            agents.place[i] = world.group_home_place[agents.group[i]]
            agents.days[i] = 0
            left[i] = True
        else:
            status[i] = Status.GONE
        agents.home_fate[i] = Fate.UNDRAWN
    return left


@njit(cache=True)
def _draw_stays_again(seed, day, agents, levers, end_of_run):
    """Draw the end of every stay at home already drawn again from today (a lever changed)."""
    key = rng.stream(seed, STAY, day)
    for i in range(agents.status.shape[0]):
        if agents.status[i] == Status.HOME and agents.home_fate[i] != Fate.UNDRAWN:
            _draw_stay(agents, i, key, day, levers, end_of_run)


def _latest_first(home_until: np.ndarray) -> np.ndarray:
    """The pool's order as an ascending key: latest end of stay first."""
    return -home_until.astype(np.int32)


@njit(cache=True)
def _ending_today(home_until, day):
    """How many of the last rows of a pool ordered by the day their stay ends (latest first) end it today."""
    count = 0
    while count < home_until.shape[0] and home_until[home_until.shape[0] - 1 - count] <= day:
        count += 1
    return count


class Home(Phase):
    name = "home"
    LEVERS = LEVERS

    def __init__(self, world) -> None:
        super().__init__(world)
        self._levers = LeverMemo(home_levers)
        self._drawn_with: HomeLevers | None = None  # the lever values today's stays at home were drawn with

    def apply(self, sim, day: int) -> None:
        levers = self._levers(sim.params)
        again = self._drawn_with is not None and levers != self._drawn_with
        self._drawn_with = levers
        end_of_run = self.world.n_days
        # who went home since bookkeeping last moved them into the pool is still on the road, and sets off from there
        road = agents(sim)
        if again:
            _draw_stays_again(sim.seed, day, road, levers, end_of_run)
            _draw_stays_again(sim.seed, day, sim.at_home.columns(Agents), levers, end_of_run)
            sim.at_home.reorder(np.argsort(_latest_first(sim.at_home.home_until), kind="stable"))
        on_road = np.flatnonzero(_stay_home(sim.seed, day, road, self.arrays, levers, end_of_run))
        ending = sim.at_home.take_last(_ending_today(sim.at_home.home_until, day))
        ending_columns = Agents(**{name: ending[name] for name in Agents._fields})
        from_pool = np.flatnonzero(_stay_home(sim.seed, day, ending_columns, self.arrays, levers, end_of_run))
        from_pool = from_pool[np.argsort(ending_columns.id[from_pool])]
        smugglers = _set_off(sim, day, road, on_road) + _set_off(sim, day, ending_columns, from_pool)
        sim.counters["smuggler_fees_usd"][day] += smugglers * sim.params.scalar("smuggler.fee_usd")
        if from_pool.size:
            back = {name: column[from_pool] for name, column in ending.items()}
            sim.state.insert(np.searchsorted(sim.state.id, back["id"]), back)


def _set_off(sim, day: int, columns, rows: np.ndarray) -> int:
    """Cash raised and smugglers hired again by the agents at ``rows`` of ``columns``; how many hired one."""
    if not rows.size:
        return 0
    money, smuggled = set_out(sim, day, columns.id[rows], columns.group[rows], columns.smuggled[rows])
    columns.money[rows] = money
    columns.smuggled[rows] = smuggled
    return int(smuggled.sum())


def clear_road(sim) -> None:
    """Move everyone on the road whose stay at home is drawn into the pool of those at home, in the pool's order,
    and drop who left the simulation (bookkeeping does it weekly); who went home after today's home phase waits on
    the road for the next time."""
    road = sim.state
    went_home = (road.status == Status.HOME) & (road.home_fate != Fate.UNDRAWN)
    moving = road.copy_rows(np.flatnonzero(went_home))
    road.compact(~went_home & (road.status != Status.GONE))
    order = np.argsort(_latest_first(moving["home_until"]), kind="stable")
    moving = {name: column[order] for name, column in moving.items()}
    before = np.searchsorted(_latest_first(sim.at_home.home_until), _latest_first(moving["home_until"]))
    sim.at_home.insert(before, moving)
