"""Budgets: the money each migrant carries, what the road costs, and who stops when it runs out.

At departure (and again at each new departure from home) an agent draws the cash it can raise for the
journey: log-normal around a median per nationality group. A smuggled migrant pays the smuggler's down
payment out of it at once; the rest of the fee is paid on arrival by relatives in the US (about US$1,200
down and up to US$8,000 on arrival: DHS Office of Immigration Statistics report of Sept 2017, as reported
by the Washington Examiner). On the road every day costs fares, food and lodging, bribes at checkpoints
drain the money of those who travel alone (checkpoints.py), and a transfer south after detention makes
smuggled people pay a smuggler again (detention.py). Family remittances may top the money up on the road.
Someone whose money runs out stops where they are: they settle in Mexico or go home (``out_of_money``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from scipy.special import ndtri

from corridor.engine import rng
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents, on_the_road
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.world import Status
from corridor.results.outputs import Output

LEVERS = [
    Lever(
        "budget.median_usd",
        2500.0,
        "USD per person",
        "hand-set prior; unverified (no survey of migrants' cash for the road found; smuggling fees, paid apart, "
        "run US$4,000-20,000 by origin: ADN America, 14 Sep 2022)",
        "median cash a migrant raises for the journey besides the smuggler's fee paid on arrival",
        index="group",
        hi=1e6,
    ),
    Lever(
        "budget.log_sd",
        0.8,
        "log USD",
        "hand-set prior; unverified",
        "spread of the cash for the journey (standard deviation of its logarithm)",
        hi=5,
    ),
    Lever(
        "budget.daily_cost_usd",
        10.0,
        "USD per person per day",
        "hand-set prior; unverified",
        "what a day on the road costs (fares, food, lodging), for those travelling or waiting in transit",
        hi=1e4,
    ),
    Lever(
        "budget.topup_usd_per_day",
        0.0,
        "USD per person per day",
        "no source for a rate found: off by default (remittances sent to migrants on the road)",
        "money relatives send or lend to a migrant on the road, each day",
        hi=1e4,
    ),
    Lever(
        "budget.settle_share",
        0.5,
        "share",
        "hand-set prior; unverified",
        "share of migrants out of money who settle in Mexico; the others go home",
        hi=1,
    ),
    Lever(
        "smuggler.upfront_share",
        0.15,
        "share of the smuggling fee",
        "DHS Office of Immigration Statistics report, Sept 2017, as reported by the Washington Examiner "
        "(about US$1,200 down, up to US$8,000 on arrival)",
        "part of the smuggling fee a migrant pays out of their own money when hiring a smuggler",
        hi=1,
    ),
]

CASH = rng.decision_id("budget.cash")
SETTLE = rng.decision_id("budget.settle")


def set_out(sim, day: int, ids: np.ndarray, groups: np.ndarray, wants_smuggler: np.ndarray) -> tuple:
    """Cash each traveller sets out with, and who travels with a smuggler: those who want one and can pay the
    down payment (it is taken from their cash); the others go alone."""
    p = sim.params
    normal = ndtri(np.clip(rng.uniforms(sim.seed, CASH, day, ids), 1e-12, 1 - 1e-12))
    cash = p["budget.median_usd"][groups] * np.exp(p.scalar("budget.log_sd") * normal)
    smuggled = ((wants_smuggler == 1) & (cash >= down_payment(p))).astype(np.int64)
    return cash - smuggled * down_payment(p), smuggled


def down_payment(params) -> float:
    """What hiring a smuggler costs a migrant at once (the rest is paid on arrival)."""
    return params.scalar("smuggler.upfront_share") * params.scalar("smuggler.fee_usd")


class BudgetLevers(NamedTuple):
    daily_net_cost: float  # cost of a day on the road less any top-up
    settle_share: float


@njit(cache=True)
def _spend(seed, day, agents, world, levers, out_of_money):
    """One day's costs on the road; those at a place with no money left stop there."""
    settle_key = rng.stream(seed, SETTLE, day)
    status, money = agents.status, agents.money
    for i in range(status.shape[0]):
        s = status[i]
        if not on_the_road(s):
            continue
        money[i] -= levers.daily_net_cost
        if money[i] >= 0.0 or s == Status.ON_LINK:
            continue
        g = agents.group[i]
        out_of_money[g] += 1
        agents.days[i] = 0
        if rng.draw(settle_key, agents.id[i]) < levers.settle_share:
            status[i] = Status.GONE
        else:
            status[i] = Status.HOME
            agents.place[i] = world.group_home_place[g]


class Budget(Phase):
    name = "budget"
    LEVERS = LEVERS
    OUTPUTS = (
        Output(
            "out_of_money",
            ("time", "group"),
            "people/day",
            "migrants who ran out of money on the road and stopped (settled in Mexico or went home)",
            "flow",
        ),
    )

    def apply(self, sim, day: int) -> None:
        p = sim.params
        levers = BudgetLevers(
            daily_net_cost=p.scalar("budget.daily_cost_usd") - p.scalar("budget.topup_usd_per_day"),
            settle_share=p.scalar("budget.settle_share"),
        )
        _spend(sim.seed, day, agents(sim), self.arrays, levers, sim.counters["out_of_money"][day])
