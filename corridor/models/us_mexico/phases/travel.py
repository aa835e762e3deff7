"""Travel along routes: daily progress by mode, death and rescue on dangerous routes, arrival.

Hazards are per day on the link, highest on desert, jungle and river routes, raised in the summer
heat and for children (The New York Times, late Feb/early Mar 2024; IOM Missing Migrants counts in
corridor/data/deaths/ to check against). A smuggler may abandon a group far from the border,
adding walking distance (same report). Rescues (USBP rescued about 12,854 people in FY2021: CNN,
Oct 2021) end the crossing in US custody.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.engine.shared import yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.sources import NYT_2024_MEXICO_ELECTIONS
from corridor.models.us_mexico.world import Status
from corridor.results.outputs import Output
from corridor.scenario.schema import FLOWS, MODES

SPEEDS = {
    "bus": 500,
    "truck": 450,
    "rail": 200,
    "boat": 80,
    "foot": 30,
    "foot_jungle": 15,
    "foot_desert": 25,
    "river": 5,
    "air": 3000,
    "port": 5,
}
HAZARDS = {
    "bus": 5e-7,
    "truck": 1e-5,
    "rail": 2e-5,
    "boat": 5e-5,
    "foot": 2e-6,
    "foot_jungle": 4e-5,
    "foot_desert": 3e-4,
    "river": 1e-4,
    "air": 0.0,
    "port": 0.0,
}

LEVERS = [
    Lever(
        "travel.speed_km_day",
        100.0,
        "km/day",
        "walking 20-40 km/day (caravans: Arizona Republic, 28 Oct 2018; EFE, Apr 2022); bus 500-800, rail 150-400: "
        "hand-set, unverified",
        "distance covered per day by mode",
        index="mode",
        lo=0.1,
        hi=10000,
    ),
    Lever(
        "travel.rail_wait",
        0.3,
        "probability per day",
        "hand-set prior; unverified (waits of days at rail yards)",
        "chance a rail rider makes no progress on a given day",
        hi=1,
    ),
    Lever(
        "mortality.hazard",
        0.0,
        "probability per day",
        "hand-set to IOM Missing Migrants totals (corridor/data/deaths/iom_mmp_us_mexico_border_monthly.csv)",
        "daily chance of death on a route of this mode",
        index="mode",
        hi=1,
    ),
    Lever(
        "mortality.summer_multiplier",
        2.0,
        "multiplier (Jun-Sep)",
        "hand-set prior; unverified (extreme summer heat on the Organ Pipe and Sasabe desert routes)",
        "hazard multiplier in the hot months",
        hi=20,
    ),
    Lever(
        "mortality.child_multiplier",
        1.5,
        "multiplier",
        f"{NYT_2024_MEXICO_ELECTIONS} (young children suffer cold nights)",
        "hazard multiplier for unaccompanied children and families",
        hi=20,
    ),
    Lever(
        "rescue.ratio",
        15.0,
        "rescues per death",
        "USBP rescues FY2021 12,854 vs ~560-570 deaths (CNN, Oct 2021)",
        "rescues per death on dangerous routes",
        hi=1000,
    ),
    Lever(
        "smuggler.abandon_prob",
        0.1,
        "probability",
        f"{NYT_2024_MEXICO_ELECTIONS} (a smuggler leaves a group far from the wall)",
        "chance a smuggler leaves a group short of the border on a desert route",
        hi=1,
    ),
    Lever(
        "smuggler.extra_walk_km",
        30.0,
        "km",
        f"{NYT_2024_MEXICO_ELECTIONS} (hours of wandering in the dark)",
        "extra walking distance after abandonment",
        hi=1000,
    ),
]

DIE = rng.decision_id("travel.death")
RESCUE = rng.decision_id("travel.rescue")
RAIL_WAIT = rng.decision_id("travel.rail_wait")
ABANDON = rng.decision_id("travel.abandon")
RAIL, DESERT, CROSSING = MODES.index("rail"), MODES.index("foot_desert"), FLOWS.index("crossing")


class TravelLevers(NamedTuple):
    speed: np.ndarray  # km/day by mode
    hazard: np.ndarray  # today's daily chance of death by mode
    child_multiplier: float
    rescue_ratio: float
    rail_wait: float
    abandon_prob: float
    extra_km: float


class TravelCounts(NamedTuple):
    deaths: np.ndarray  # today's, by route
    died: np.ndarray  # today's, by (2 x group + smuggled, route): the word-of-mouth tally
    rescues: np.ndarray


@njit(cache=True)
def _travel(seed, day, agents, world, levers, counts):
    die_key = rng.stream(seed, DIE, day)
    rescue_key = rng.stream(seed, RESCUE, day)
    wait_key = rng.stream(seed, RAIL_WAIT, day)
    abandon_key = rng.stream(seed, ABANDON, day)
    status, place, link, km_left, days, ids = (
        agents.status,
        agents.place,
        agents.link,
        agents.km_left,
        agents.days,
        agents.id,
    )
    for i in range(status.shape[0]):
        if status[i] != Status.ON_LINK:
            continue
        route = link[i]
        mode = world.route_mode[route]
        if (
            days[i] == 0
            and mode == DESERT
            and agents.smuggled[i] == 1
            and rng.draw(abandon_key, ids[i]) < levers.abandon_prob
        ):
            km_left[i] += levers.extra_km
        days[i] += 1
        risk = levers.hazard[mode] * (levers.child_multiplier if agents.demographic[i] > 0 else 1.0)
        if risk > 0.0:
            u = rng.draw(die_key, ids[i])
            if u < risk:
                status[i] = Status.GONE
                counts.deaths[route] += 1
                counts.died[2 * agents.group[i] + agents.smuggled[i], route] += 1
                continue
            if world.route_flow[route] == CROSSING and rng.draw(rescue_key, ids[i]) < risk * levers.rescue_ratio:
                counts.rescues[route] += 1
                km_left[i] = 0.0
        if mode == RAIL and rng.draw(wait_key, ids[i]) < levers.rail_wait:
            continue
        km_left[i] -= levers.speed[mode]
        if km_left[i] > 0.0:
            continue
        place[i] = world.route_to[route]
        days[i] = 0
        if world.route_flow[route] == CROSSING:
            status[i] = Status.IN_US
        else:
            link[i] = -1
            status[i] = Status.WAITING if world.place_is_border_city[place[i]] else Status.AT_PLACE


class Travel(Phase):
    name = "travel"
    LEVERS = LEVERS
    READS = (yesterday("tally"),)
    OUTPUTS = (
        Output("deaths", ("time", "route"), "people/day", "deaths on each route", "flow"),
        Output("rescues", ("time", "route"), "people/day", "people rescued on each route", "flow"),
    )

    def __init__(self, world):
        super().__init__(world)
        self._summer = np.isin(world.dates.month, (6, 7, 8, 9))  # by day: read once, pandas is slow a day at a time

    def apply(self, sim, day: int) -> None:
        p = sim.params
        hazard = p["mortality.hazard"].copy()
        if self._summer[day]:
            hazard *= p.scalar("mortality.summer_multiplier")
        levers = TravelLevers(
            speed=p["travel.speed_km_day"],
            hazard=hazard,
            child_multiplier=p.scalar("mortality.child_multiplier"),
            rescue_ratio=p.scalar("rescue.ratio"),
            rail_wait=p.scalar("travel.rail_wait"),
            abandon_prob=p.scalar("smuggler.abandon_prob"),
            extra_km=p.scalar("smuggler.extra_walk_km"),
        )
        counts = TravelCounts(
            deaths=sim.counters["deaths"][day], died=sim.shared.tally.died, rescues=sim.counters["rescues"][day]
        )
        _travel(sim.seed, day, agents(sim), self.arrays, levers, counts)


def table_defaults() -> dict[str, np.ndarray]:
    return {
        "travel.speed_km_day": np.array([SPEEDS[m] for m in MODES], float),
        "mortality.hazard": np.array([HAZARDS[m] for m in MODES], float),
    }
