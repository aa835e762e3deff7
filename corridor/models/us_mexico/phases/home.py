"""Returned home: people deported or removed to their origin, or who gave up, may set off again.

Repeat journeys after removal are part of why removals do not end flows (The New York Times,
late Feb/early Mar 2024, on decompression and removals)."""

from __future__ import annotations

from numba import njit

from corridor.engine import rng
from corridor.levers import Lever
from corridor.models.us_mexico.phases import Phase
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


@njit(cache=True)
def _home(seed, day, status, place, days, group, ids, home_place, rate, max_days):
    key = rng.stream(seed, REDEPART, day)
    for i in range(status.shape[0]):
        if status[i] != Status.HOME:
            continue
        days[i] += 1
        if rng.draw(key, ids[i]) < rate:
            status[i] = Status.AT_PLACE
            place[i] = home_place[group[i]]
            days[i] = 0
        elif days[i] > max_days:
            status[i] = Status.GONE


class Home(Phase):
    name = "home"
    LEVERS = LEVERS

    def apply(self, sim, day: int) -> None:
        s, p = sim.state, sim.params
        _home(
            sim.seed,
            day,
            s.status,
            s.place,
            s.days,
            s.group,
            s.id,
            sim.world.group_home_place,
            p.scalar("return.redeparture_rate"),
            p.scalar("return.max_days_home"),
        )
