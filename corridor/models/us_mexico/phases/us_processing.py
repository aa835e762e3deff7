"""US processing of everyone who reaches a Border Patrol sector or a port of entry.

Each arrival is an encounter (an event: repeat crossers count again), by sector, component
(Border Patrol between ports, OFO at ports), group, demographic and authority. Then:
Title 42 expulsion to the Mexican border city (while in force, 21 Mar 2020 - 11 May 2023, for the
nationalities Mexico accepts; single adults most, unaccompanied children never); else Title 8
removal (Mexicans to the border, others home), Remain in Mexico (sent back to wait for a hearing),
or release into the asylum backlog. Expelled people try again: the repeat crossings that shaped
the 2020-23 counts (CNN, early Oct 2021; corridor/data/README.md). A Title 8
removal carries a bar on re-entry, so far fewer of those removed try again than of those expelled
(repeat rate ~7% before Title 42, ~27% under it: CBP figures in a secondary summary, unverified).
Outcomes are tallied by nationality and demographic for word of mouth (word_of_mouth.py): single adults
and families heard different news (after May 2023 families were mostly released, single adults removed),
and departures follow it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.engine.shared import yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents
from corridor.models.us_mexico.phases import LeverMemo, Phase
from corridor.models.us_mexico.sources import REPEAT_CROSSING_RATES
from corridor.models.us_mexico.world import US_OUTCOMES, Status
from corridor.results.outputs import Output
from corridor.scenario.schema import MODES

LEVERS = [
    Lever(
        "title42.active",
        0.0,
        "0/1",
        "CDC order of 20 Mar 2020; expulsions 21 Mar 2020 - 11 May 2023 (CBP Title 8 and Title 42 statistics page)",
        "whether Title 42 expulsions are in force",
        hi=1,
    ),
    Lever(
        "title42.expel_share",
        0.0,
        "share",
        "computed from corridor/data/cbp/cbp_nationwide_encounters_by_state_fy20_fy23.csv "
        "(Title 42 share by citizenship)",
        "share of a group's single adults expelled under Title 42",
        index="group",
        hi=1,
    ),
    Lever(
        "title42.family_share",
        0.0,
        "share",
        "same file (families were expelled less often than single adults)",
        "share of a group's families expelled under Title 42",
        index="group",
        hi=1,
    ),
    Lever(
        "title8.removal_share",
        0.1,
        "share",
        "hand-set prior",
        "share of a group's single adults removed under Title 8",
        index="group",
        hi=1,
    ),
    Lever(
        "title8.removal_capacity",
        1e6,
        "people/day",
        "fitted within a prior of 100-450 a day: ICE removed about 267,000 people in FY2019, about half of them "
        "Mexicans, so about 365 a day to other countries, interior removals included (ICE ERO annual report FY2019; "
        "from memory, unverified): detention beds and removal flights bound how many the US can return to countries "
        "other than Mexico (Mexicans go back across the border by land)",
        "most people a day removed under Title 8 to countries other than Mexico; beyond it they are released",
        lo=1,
        hi=1e6,
    ),
    Lever(
        "title8.family_factor",
        0.3,
        "multiplier",
        "hand-set prior: families in Title 8 were mostly released into proceedings (no family detention at scale)",
        "Title 8 removal share for families relative to single adults",
        hi=1,
    ),
    Lever("mpp.active", 0.0, "0/1", "MPP dates in policies.yaml", "whether Remain in Mexico is in force", hi=1),
    Lever(
        "mpp.enrol_share",
        0.0,
        "share",
        "more than 60,000 returned in MPP's first year (IMUMI, 'Quedate en Mexico', Jan 2020)",
        "share of a group's Title 8 encounters sent back to wait in Mexico",
        index="group",
        hi=1,
    ),
    Lever(
        "mpp.hearing_wait_days",
        120.0,
        "days",
        "hand-set prior (hearings months later)",
        "days until the US hearing",
        hi=3650,
    ),
    Lever(
        "border.retry_share",
        0.4,
        "share",
        REPEAT_CROSSING_RATES,
        "share of people expelled under Title 42 who try again rather than go home",
        hi=1,
    ),
    Lever(
        "border.retry_share_removed",
        0.1,
        "share",
        f"{REPEAT_CROSSING_RATES}; about 1/4 of border.retry_share",
        "share of Mexicans removed under Title 8 (re-entry bar) who try again rather than go home",
        hi=1,
    ),
]


def title42_probability(params) -> np.ndarray:
    """Chance of a Title 42 expulsion by (group, demographic): single adults and families as set
    per group, unaccompanied children never."""
    active = params.scalar("title42.active")
    single, family = params["title42.expel_share"] * active, params["title42.family_share"] * active
    return np.stack([single, family, np.zeros_like(single)], axis=1)


def removal_probability(params) -> np.ndarray:
    """Chance of a Title 8 removal by (group, demographic), for those not expelled: families by
    title8.family_factor of single adults; unaccompanied children as single adults."""
    share = params["title8.removal_share"]
    return np.stack([share, share * params.scalar("title8.family_factor"), share], axis=1)


def return_probability(params) -> np.ndarray:
    """Chance by (group, demographic) that a crossing ends in expulsion or removal rather than
    release: what people waiting at the border weigh before they try."""
    expelled = title42_probability(params)
    return expelled + (1.0 - expelled) * removal_probability(params)


AUTHORITY = rng.decision_id("us.authority")
REMOVAL = rng.decision_id("us.removal")
MPP = rng.decision_id("us.mpp")
RETRY = rng.decision_id("us.retry")
PORT = MODES.index("port")


class ProcessingLevers(NamedTuple):
    title42_probability: np.ndarray  # by (group, demographic)
    removal_share: np.ndarray  # by (group, demographic): Title 8 removal of those not expelled
    mpp_share: np.ndarray  # by group: sent back under Remain in Mexico
    hearing_wait: int  # days until a Remain in Mexico hearing
    retry_share: float  # of those expelled under Title 42
    retry_share_removed: float  # of Mexicans removed under Title 8
    mexico_group: int  # the group index of Mexico, -1 if none
    removal_capacity: float  # agents a day who can be removed to countries other than Mexico


class ProcessingCounts(NamedTuple):
    encounters: np.ndarray  # today's, by (sector, component, group, demographic, authority)
    repeats: np.ndarray  # today's repeat encounters, one cell
    outcomes: np.ndarray  # today's, by (group, demographic, US outcome): the word-of-mouth tally


@njit(cache=True)
def _capacity_share(agents, levers):
    """The share of today's would-be removals to countries other than Mexico that the capacity allows: capacity
    over the expected number (order-free, so no agent's place in the arrays decides who is released)."""
    expected = 0.0
    for i in range(agents.status.shape[0]):
        g, d = agents.group[i], agents.demographic[i]
        if agents.status[i] == Status.IN_US and agents.hearing_day[i] < 0 and g != levers.mexico_group:
            expected += (1.0 - levers.title42_probability[g, d]) * levers.removal_share[g, d]
    return 1.0 if expected <= levers.removal_capacity else levers.removal_capacity / expected


@njit(cache=True)
def _process(seed, day, agents, world, levers, counts):
    authority_key = rng.stream(seed, AUTHORITY, day)
    removal_key = rng.stream(seed, REMOVAL, day)
    mpp_key = rng.stream(seed, MPP, day)
    retry_key = rng.stream(seed, RETRY, day)
    status, place, link, hearing_day, ids = agents.status, agents.place, agents.link, agents.hearing_day, agents.id
    outcomes = counts.outcomes
    within_capacity = _capacity_share(agents, levers)
    for i in range(status.shape[0]):
        if status[i] != Status.IN_US:
            continue
        route = link[i]
        city = world.route_from[route]
        g, d = agents.group[i], agents.demographic[i]
        link[i] = -1
        agents.days[i] = 0
        if hearing_day[i] >= 0:  # Remain in Mexico hearing: into the backlog, not an encounter
            hearing_day[i] = -1
            status[i] = Status.GONE
            outcomes[g, d, 3] += 1
            continue
        component = 1 if world.route_mode[route] == PORT else 0
        title42 = rng.draw(authority_key, ids[i]) < levers.title42_probability[g, d]
        counts.encounters[world.place_sector[world.route_to[route]], component, g, d, 1 if title42 else 0] += 1
        if agents.attempts[i] > 0:
            counts.repeats[0] += 1
        agents.attempts[i] += 1
        removal_share = levers.removal_share[g, d] * (1.0 if g == levers.mexico_group else within_capacity)
        if title42 or rng.draw(removal_key, ids[i]) < removal_share:
            outcomes[g, d, 0 if title42 else 1] += 1
            removed_retry = levers.retry_share_removed if g == levers.mexico_group else 0.0
            retry = levers.retry_share if title42 else removed_retry
            if rng.draw(retry_key, ids[i]) < retry:
                status[i] = Status.WAITING
                place[i] = city
                agents.expelled[i] = 1
            else:
                status[i] = Status.HOME
                place[i] = world.group_home_place[g]
        elif d != 2 and rng.draw(mpp_key, ids[i]) < levers.mpp_share[g]:
            outcomes[g, d, 2] += 1
            status[i] = Status.MPP_WAIT
            place[i] = city
            hearing_day[i] = day + levers.hearing_wait
        else:
            outcomes[g, d, 3] += 1
            status[i] = Status.GONE


class USProcessing(Phase):
    name = "us_processing"
    LEVERS = LEVERS
    OUTPUTS = (
        Output(
            "encounters",
            ("time", "sector", "component", "group", "demographic", "authority"),
            "people/day",
            "US southwest-border encounters (Border Patrol apprehensions and port inadmissibles) under Title 8 or 42",
            "flow",
        ),
        Output(
            "repeat_encounters",
            ("time",),
            "people/day",
            "US encounters of people encountered before in the run",
            "flow",
        ),
        Output("us_outcomes", ("time", "us_outcome"), "people/day", "what followed a US encounter", "flow"),
    )
    PRODUCES = ("released",)
    READS = (yesterday("released"), yesterday("tally"))  # a running total; the tally word of mouth empties

    def __init__(self, world):
        super().__init__(world)
        self._title42_probability = LeverMemo(title42_probability)
        self._removal_probability = LeverMemo(removal_probability)

    def apply(self, sim, day: int) -> None:
        p, w, counters = sim.params, sim.world, sim.counters
        outcomes = sim.shared.tally.us_outcomes  # empty each morning: word of mouth empties it at night
        levers = ProcessingLevers(
            title42_probability=self._title42_probability(p),
            removal_share=self._removal_probability(p),
            mpp_share=p["mpp.enrol_share"] * p.scalar("mpp.active"),
            hearing_wait=int(p.scalar("mpp.hearing_wait_days")),
            retry_share=p.scalar("border.retry_share"),
            retry_share_removed=p.scalar("border.retry_share_removed"),
            mexico_group=w.groups.index("mexico") if "mexico" in w.groups else -1,
            removal_capacity=p.scalar("title8.removal_capacity") * sim.scale,
        )
        counts = ProcessingCounts(
            encounters=counters["encounters"][day],
            repeats=counters["repeat_encounters"][day : day + 1],
            outcomes=outcomes,
        )
        _process(sim.seed, day, agents(sim), self.arrays, levers, counts)
        counters["us_outcomes"][day] += outcomes.sum(axis=(0, 1))
        sim.shared.released += outcomes[..., US_OUTCOMES.index("released")].sum(axis=1)
