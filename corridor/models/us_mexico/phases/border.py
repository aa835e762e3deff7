"""Waiting in Mexican border cities: raids, appointments at ports, Remain in Mexico hearings,
giving up, and the daily decision to attempt a crossing.

* City enforcement (raids on hotels and safe houses in Tijuana; The New York Times, early 2024) turns
  waiting people into Mexican apprehensions.
* Appointments at ports (CBP One, from 12 Jan 2023: DHS via HSToday) are a daily lottery among
  the people waiting; winners present at their city's port (an OFO encounter).
* People sent back under Remain in Mexico wait for a hearing day; some give up waiting and try to
  cross between ports instead (CNN, early Oct 2021: harsh waiting conditions).
* After an expulsion people try again sooner: repeat attempts under Title 42.
* The more of their nationality were heard to be expelled or removed (word of mouth: word_of_mouth.py;
  before any news, the likelihood the US rules set), the longer people wait before a first attempt, so a stock
  builds up in the border cities while Title 42 lasts and crosses when it ends (CBP One demand of
  ~80,000 requests a day in May 2023: PBS NewsHour, 26 May 2023).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.engine.shared import today, yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents
from corridor.models.us_mexico.phases import LeverMemo, Phase
from corridor.models.us_mexico.phases.us_processing import return_probability
from corridor.models.us_mexico.sources import (
    CNN_2021_MEXICO_RELATIONSHIP,
    NYT_2024_MEXICO_ELECTIONS,
    REPEAT_CROSSING_RATES,
)
from corridor.models.us_mexico.world import Status

LEVERS = [
    Lever(
        "border.attempt_rate", 0.15, "1/day", "hand-set prior", "daily chance a waiting person attempts to cross", hi=1
    ),
    Lever(
        "border.retry_rate",
        0.35,
        "1/day",
        f"hand-set prior; {REPEAT_CROSSING_RATES}",
        "daily chance of a new attempt after an expulsion or removal to Mexico",
        hi=1,
    ),
    Lever(
        "border.return_deterrence",
        0.5,
        "share",
        "hand-set prior (waiting in Mexico: about 80,000 CBP One requests a day for 1,000 slots, "
        "PBS NewsHour, 26 May 2023)",
        "how much a heard certainty of expulsion or removal lowers the daily first-attempt chance "
        "(0 = not at all, 1 = to zero)",
        hi=1,
    ),
    Lever("border.give_up_rate", 0.003, "1/day", "hand-set prior", "daily chance a waiting person goes home", hi=1),
    Lever(
        "border.raid_rate",
        0.002,
        "1/day at effort 1",
        f"{NYT_2024_MEXICO_ELECTIONS} (Tijuana raids on hotels and stash houses)",
        "daily chance that a person waiting is caught in a raid, per unit of city enforcement and effort",
        hi=1,
    ),
    Lever(
        "border.city_enforcement",
        1.0,
        "index",
        f"{NYT_2024_MEXICO_ELECTIONS} (Tijuana)",
        "enforcement in a border city: raids, and a higher cost of its urban crossings",
        index="place",
        hi=100,
    ),
    Lever(
        "appointments.per_day",
        0.0,
        "people/day",
        "CBP One capacity: 1,000 a day from 12 May 2023, 1,450 from 30 Jun 2023 (CBP release, 30 Jun 2023)",
        "appointments at ports of entry offered each day",
        hi=1e5,
    ),
    Lever(
        "mpp.abscond_rate",
        0.01,
        "1/day",
        f"hand-set prior ({CNN_2021_MEXICO_RELATIONSHIP}: harsh waiting conditions)",
        "daily chance that someone waiting under Remain in Mexico tries to cross instead",
        hi=1,
    ),
]

RAID = rng.decision_id("border.raid")
GIVE_UP = rng.decision_id("border.give_up")
APPOINTMENT = rng.decision_id("border.appointment")
ATTEMPT = rng.decision_id("border.attempt")


class WaitLevers(NamedTuple):
    raid_probability: np.ndarray  # by place: today's chance of a raid
    mexican_enforcement: np.ndarray  # by group: 1 if the group faces Mexican immigration enforcement
    appointment_probability: float
    attempt_rate: np.ndarray  # by (group, demographic): first attempts
    retry_rate: float  # after an expulsion or removal
    give_up_rate: float
    abscond_rate: float  # leaving Remain in Mexico to cross


@njit(cache=True)
def _wait(seed, day, agents, world, levers, apprehensions):
    """One day in a border city for everyone waiting."""
    raid_key = rng.stream(seed, RAID, day)
    give_up_key = rng.stream(seed, GIVE_UP, day)
    appointment_key = rng.stream(seed, APPOINTMENT, day)
    attempt_key = rng.stream(seed, ATTEMPT, day)
    status, place, link, days, ids = agents.status, agents.place, agents.link, agents.days, agents.id
    for i in range(status.shape[0]):
        st = status[i]
        if st != Status.WAITING and st != Status.MPP_WAIT:
            continue
        days[i] += 1
        city = place[i]
        port = world.port_of_city[city]
        if st == Status.MPP_WAIT:
            if day >= agents.hearing_day[i] and port >= 0:
                status[i] = Status.IN_US  # attends the hearing at the port
                link[i] = port
            elif rng.draw(attempt_key, ids[i]) < levers.abscond_rate:
                status[i] = Status.AT_PLACE
                agents.hearing_day[i] = -1
                days[i] = 0
            continue
        group = agents.group[i]
        if levers.mexican_enforcement[group] > 0 and rng.draw(raid_key, ids[i]) < levers.raid_probability[city]:
            status[i] = Status.DETAINED
            days[i] = 0
            apprehensions[city] += 1
        elif rng.draw(give_up_key, ids[i]) < levers.give_up_rate:
            status[i] = Status.HOME
            place[i] = world.group_home_place[group]
            days[i] = 0
        elif port >= 0 and rng.draw(appointment_key, ids[i]) < levers.appointment_probability:
            status[i] = Status.IN_US
            link[i] = port
        elif rng.draw(attempt_key, ids[i]) < (
            levers.retry_rate if agents.expelled[i] == 1 else levers.attempt_rate[group, agents.demographic[i]]
        ):
            status[i] = Status.AT_PLACE
            days[i] = 0


class Border(Phase):
    name = "border"
    LEVERS = LEVERS
    READS = (today("effort"), yesterday("heard"))

    def __init__(self, world):
        super().__init__(world)
        self._return_probability = LeverMemo(return_probability)

    def apply(self, sim, day: int) -> None:
        s, p = sim.state, sim.params
        effort = sim.shared.effort
        raid_probability = np.minimum(1.0, p.scalar("border.raid_rate") * p["border.city_enforcement"] * effort)
        waiting = np.count_nonzero(s.status == Status.WAITING)
        slots = p.scalar("appointments.per_day") * sim.scale
        appointment_probability = min(1.0, slots / waiting) if waiting else 0.0
        attempt_rate = p.scalar("border.attempt_rate") * (
            1.0 - p.scalar("border.return_deterrence") * self._return(sim)
        )
        levers = WaitLevers(
            raid_probability=raid_probability,
            mexican_enforcement=p["checkpoints.applies"],
            appointment_probability=appointment_probability,
            attempt_rate=attempt_rate,
            retry_rate=p.scalar("border.retry_rate"),
            give_up_rate=p.scalar("border.give_up_rate"),
            abscond_rate=p.scalar("mpp.abscond_rate"),
        )
        _wait(sim.seed, day, agents(sim), self.arrays, levers, sim.counters["mx_apprehensions"][day])

    def _return(self, sim) -> np.ndarray:
        """Chance of an expulsion or removal by (group, demographic) as heard, or as the US rules set it
        where nothing was heard yet."""
        expected = self._return_probability(sim.params)
        if sim.shared.heard is None:
            return expected
        heard = sim.shared.heard.return_share()
        return np.where(np.isnan(heard), expected, heard)
