"""Mexican immigration checkpoints on routes, and the bribes that let people through.

Per link, the chance of being stopped is 1 - (1 - q)^(n x E x m): q per checkpoint, n checkpoints
on the link, E = effort x personnel^elasticity (diminishing returns: mx_capacity_limit), m a
mode/entry multiplier (rail security, forces at the southern border, bus interdiction of a group).
Smugglers pay police and immigration officers at every checkpoint their clients pass (out of the
smuggling fee); a stopped smuggled migrant is likelier to be let through. A stopped migrant travelling
alone may buy their way through out of their own money (phases/budget.py) if they have enough;
otherwise they are apprehended and detained. Mexicans are not subject to immigration checks.
Sources: The New York Times, late Feb/early Mar 2024 (hundreds of new checkpoints, tenfold personnel
since 2022, rail security, bribes, southern-border forces, visas); CNN, early Oct 2021 (buses of
Haitians stopped, Sept 2021); bribe sizes from AP, Jul 2014, 'Breaking down the costs of human smuggling'.
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
from corridor.models.us_mexico.sources import CNN_2021_MEXICO_RELATIONSHIP, NYT_2024_MEXICO_ELECTIONS
from corridor.models.us_mexico.world import ENTRIES, Status
from corridor.results.outputs import Output
from corridor.scenario.schema import MODES

LEVERS = [
    Lever(
        "checkpoints.count",
        0.0,
        "checkpoints",
        "routes.csv column 'checkpoints'",
        "checkpoints on each route (baseline)",
        index="route",
        hi=1000,
    ),
    Lever(
        "checkpoints.detect_each",
        0.018,
        "probability",
        "hand-set prior",
        "chance that one checkpoint stops a passing migrant at effort 1",
        hi=1,
    ),
    Lever(
        "checkpoints.applies",
        1.0,
        "0/1",
        "Mexicans are not subject to Mexican immigration checks",
        "whether a group faces Mexican immigration enforcement",
        index="group",
        hi=1,
    ),
    Lever(
        "mexico.personnel",
        1.0,
        "index (2022 = 1)",
        f"{NYT_2024_MEXICO_ELECTIONS} (about tenfold since 2022, State Dept data)",
        "enforcement personnel on migration",
        hi=100,
    ),
    Lever(
        "mexico.personnel_elasticity",
        0.3,
        "elasticity",
        f"hand-set prior; unverified ({NYT_2024_MEXICO_ELECTIONS}: Mexican officials say they are at their limit)",
        "diminishing returns of personnel on detection",
        hi=1,
    ),
    Lever(
        "checkpoints.rail_security",
        1.0,
        "multiplier",
        f"{NYT_2024_MEXICO_ELECTIONS} (rail lines policed more tightly)",
        "detection multiplier on rail routes",
        hi=100,
    ),
    Lever(
        "checkpoints.south_border_guard",
        1.0,
        "multiplier",
        f"{NYT_2024_MEXICO_ELECTIONS}; National Guard to the southern border: US-Mexico Joint Declaration, 7 Jun 2019",
        "detection multiplier on routes entering Mexico from Guatemala",
        hi=100,
    ),
    Lever(
        "checkpoints.bus_interdiction",
        0.0,
        "extra detection probability",
        f"{CNN_2021_MEXICO_RELATIONSHIP} (buses of Haitians stopped)",
        "extra chance a group's members are taken off a bus route",
        index="group",
        hi=1,
    ),
    Lever(
        "checkpoints.intel_sharing",
        1.0,
        "multiplier",
        f"{CNN_2021_MEXICO_RELATIONSHIP} (DHS-Mexico intelligence on organised movements)",
        "detection multiplier from shared intelligence",
        hi=10,
    ),
    Lever(
        "checkpoints.bribe_pass",
        0.05,
        "probability",
        f"{NYT_2024_MEXICO_ELECTIONS} (officers paid off)",
        "chance a stopped migrant without a smuggler bribes their way through",
        hi=1,
    ),
    Lever(
        "checkpoints.bribe_pass_smuggled",
        0.6,
        "probability",
        f"{NYT_2024_MEXICO_ELECTIONS} (smugglers pay off officers)",
        "chance a stopped migrant with a smuggler is let through after a bribe",
        hi=1,
    ),
    Lever(
        "checkpoints.bribe_usd",
        30.0,
        "USD per person per checkpoint",
        "AP, Jul 2014, 'Breaking down the costs of human smuggling': US$25-40 per person per checkpoint and "
        "US$230-540 a journey to pass police and immigration (a journey of the built-in network passes 10-16)",
        "what a smuggler pays officers for each client at each checkpoint passed",
        hi=1e4,
    ),
    Lever(
        "checkpoints.stop_bribe_usd",
        200.0,
        "USD per person",
        "hand-set prior of the order of a journey's payments to police and immigration (US$230-540: AP, "
        "Jul 2014, 'Breaking down the costs of human smuggling')",
        "what a stopped migrant without a smuggler pays to be let through",
        hi=1e5,
    ),
]

STOP = rng.decision_id("checkpoint.stop")
BRIBE = rng.decision_id("checkpoint.bribe")


def detection_probability(world, params, effort: float) -> np.ndarray:
    """Chance of being stopped on each route, per group: shape (groups, routes)."""
    intensity = effort * params.scalar("mexico.personnel") ** params.scalar("mexico.personnel_elasticity")
    multiplier = np.ones(len(world.route_names))
    multiplier[world.route_mode == MODES.index("rail")] *= params.scalar("checkpoints.rail_security")
    multiplier[world.route_entry == ENTRIES.index("south_border")] *= params.scalar("checkpoints.south_border_guard")
    exposure = params["checkpoints.count"] * intensity * multiplier * params.scalar("checkpoints.intel_sharing")
    stopped = 1.0 - (1.0 - params.scalar("checkpoints.detect_each")) ** exposure
    on_bus = (world.route_mode == MODES.index("bus")) & world.place_is_mexico[world.route_to]
    per_group = np.where(
        on_bus[None, :],
        1 - (1 - stopped[None, :]) * (1 - params["checkpoints.bus_interdiction"][:, None]),
        stopped[None, :],
    )
    return per_group * params["checkpoints.applies"][:, None]


class CheckLevers(NamedTuple):
    stop_probability: np.ndarray  # by (group, route)
    bribe_pass: float
    bribe_pass_smuggled: float
    smuggler_bribes: np.ndarray  # by (group, route): what a smuggler pays officers for one client on the route
    stop_bribe: float


@njit(cache=True)
def _check(seed, day, agents, world, levers, apprehensions, stopped):
    """Stops on the first day on a link; returns the bribes paid (USD). ``stopped`` tallies stops by
    (2 x group + smuggled, route) for word of mouth."""
    stop_key = rng.stream(seed, STOP, day)
    bribe_key = rng.stream(seed, BRIBE, day)
    status, place, link, ids, money = agents.status, agents.place, agents.link, agents.id, agents.money
    bribes = 0.0
    for i in range(status.shape[0]):
        if status[i] != Status.ON_LINK or agents.days[i] != 0:
            continue
        smuggled = agents.smuggled[i] == 1
        if smuggled:
            bribes += levers.smuggler_bribes[agents.group[i], link[i]]
        if rng.draw(stop_key, ids[i]) >= levers.stop_probability[agents.group[i], link[i]]:
            continue
        if smuggled and rng.draw(bribe_key, ids[i]) < levers.bribe_pass_smuggled:
            continue
        if not smuggled and rng.draw(bribe_key, ids[i]) < levers.bribe_pass and money[i] >= levers.stop_bribe:
            money[i] -= levers.stop_bribe
            bribes += levers.stop_bribe
            continue
        status[i] = Status.DETAINED
        stopped[2 * agents.group[i] + agents.smuggled[i], link[i]] += 1
        place[i] = world.route_from[link[i]]
        link[i] = -1
        apprehensions[place[i]] += 1
    return bribes


class Checkpoints(Phase):
    name = "checkpoints"
    LEVERS = LEVERS
    OUTPUTS = (
        Output(
            "mx_apprehensions",
            ("time", "place"),
            "people/day",
            "apprehensions by Mexican authorities, by place",
            "flow",
        ),
        Output(
            "bribes_paid_usd",
            ("time",),
            "USD/day",
            "bribes paid to Mexican police and immigration officers "
            "(by smugglers for their clients, and by stopped migrants travelling alone)",
            "flow",
        ),
    )
    READS = (today("effort"), yesterday("tally"))

    def __init__(self, world):
        super().__init__(world)
        self._stop_probability = LeverMemo(lambda params, effort: detection_probability(world, params, effort))

    def apply(self, sim, day: int) -> None:
        p = sim.params
        levers = CheckLevers(
            stop_probability=self._stop_probability(p, sim.shared.effort),
            bribe_pass=p.scalar("checkpoints.bribe_pass"),
            bribe_pass_smuggled=p.scalar("checkpoints.bribe_pass_smuggled"),
            smuggler_bribes=p["checkpoints.applies"][:, None]
            * p["checkpoints.count"][None, :]
            * p.scalar("checkpoints.bribe_usd"),
            stop_bribe=p.scalar("checkpoints.stop_bribe_usd"),
        )
        apprehensions, stopped = sim.counters["mx_apprehensions"][day], sim.shared.tally.stopped
        bribes = _check(sim.seed, day, agents(sim), self.arrays, levers, apprehensions, stopped)
        sim.counters["bribes_paid_usd"][day] += bribes
