"""Returned home: people deported or removed to their origin, or who gave up, may set off again.

Repeat journeys after removal are part of why removals do not end flows (The New York Times,
late Feb/early Mar 2024, on decompression and removals). Who sets off again starts from home as on a
first journey: they raise cash for the road again and, if they travel with a smuggler, pay one again.

Most agents alive on most days are at home (nine in ten in the built-in run), waiting for a one-in-a-thousand
draw. They wait in a pool of their own (``sim.at_home``), so that no other phase's kernel passes over them:
bookkeeping moves into it, weekly, everyone who went home (until then they draw on the road, in place), and this
phase moves those who set off again from the pool back among the others, in the order of their ids, which is the
order of their first departure, so the agents on the road are in the same order as if nobody had left (detention
seats go to the first in that order)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import Agents, agents
from corridor.models.us_mexico.phases import Phase
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

REDEPART = rng.decision_id("home.redeparture")


class HomeLevers(NamedTuple):
    redeparture_rate: float
    max_days_home: float


@njit(cache=True)
def _home(seed, day, agents, world, levers):
    """One day at home; returns whether each agent set off again today."""
    key = rng.stream(seed, REDEPART, day)
    status, days = agents.status, agents.days
    left = np.zeros(status.shape[0], np.bool_)
    for i in range(status.shape[0]):
        if status[i] != Status.HOME:
            continue
        days[i] += 1
        if rng.draw(key, agents.id[i]) < levers.redeparture_rate:
            status[i] = Status.AT_PLACE
            agents.place[i] = world.group_home_place[agents.group[i]]
            days[i] = 0
            left[i] = True
        elif days[i] > levers.max_days_home:
            status[i] = Status.GONE
    return left


class Home(Phase):
    name = "home"
    LEVERS = LEVERS

    def apply(self, sim, day: int) -> None:
        p = sim.params
        levers = HomeLevers(
            redeparture_rate=p.scalar("return.redeparture_rate"), max_days_home=p.scalar("return.max_days_home")
        )
        road, pool = agents(sim), sim.at_home.columns(Agents)
        # who went home since bookkeeping last moved them into the pool is still on the road, and sets off from there
        on_road = np.flatnonzero(_home(sim.seed, day, road, self.arrays, levers))
        from_pool = np.flatnonzero(_home(sim.seed, day, pool, self.arrays, levers))
        from_pool = from_pool[np.argsort(pool.id[from_pool])]
        smugglers = _set_off(sim, day, road, on_road) + _set_off(sim, day, pool, from_pool)
        sim.counters["smuggler_fees_usd"][day] += smugglers * p.scalar("smuggler.fee_usd")
        if from_pool.size:
            leaving = sim.at_home.take_unordered(from_pool)
            sim.state.insert(np.searchsorted(sim.state.id, leaving["id"]), leaving)


def _set_off(sim, day: int, columns, rows: np.ndarray) -> int:
    """Cash raised and smugglers hired again by the agents at ``rows`` of ``columns``; how many hired one."""
    if not rows.size:
        return 0
    money, smuggled = set_out(sim, day, columns.id[rows], columns.group[rows], columns.smuggled[rows])
    columns.money[rows] = money
    columns.smuggled[rows] = smuggled
    return int(smuggled.sum())


def move_home(sim) -> None:
    """Move everyone on the road who went home into the pool of those at home (bookkeeping does it weekly)."""
    went_home = np.flatnonzero(sim.state.status == Status.HOME)
    sim.at_home.append(went_home.size, **sim.state.take(went_home))
