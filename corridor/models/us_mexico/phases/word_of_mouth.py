"""Word of mouth: what people of one nationality hear of how the journeys of others like them ended.

Migrants learn routes and risks from relatives and friends who went before them, through WhatsApp,
Facebook and similar channels (AP, 23 Sep 2021, 'WhatsApp, social posts helped lead Haitian migrants
to Texas': most Haitians that IOM surveyed after the Darien had their route from family or friends who
had made it; Encartes, 2024, 'Social media and digital platforms in the migratory journey from the
Darien jungle to Mexico's northern border': experiences shared in real time). They know the risks,
but not their size (Migration Studies 11(4), Dec 2023, 'Reevaluating the role of information in
transit migration: the case of Central American migrants crossing Mexico'), so the strength of the
response is a prior, not a measured value.

Each day the phases that end or advance a journey add to a tally by nationality (group): who set
out on each route, who was stopped on it by Mexican checkpoints, who died on it, who was deported
from Mexico, and what the US did (expelled, removed, Remain in Mexico, released) by demographic.
That news reaches the origin ``news.lag_days`` later and is remembered with a time constant of
``news.memory_days`` (an exponential memory of counts; rates are ratios of remembered counts).
What is heard feeds three decisions, so enforcement anywhere on the corridor changes who sets
out and by which route, not only where people are caught:

* departures (departure.py): fewer leave the larger the share of the news of their nationality's journeys
  that told of an apprehension in Mexico, a deportation from it or a death rather than of reaching the US
  (against a reference per nationality); more leave the more of their nationality were released into the US;
* the first attempt from a border city (border.py): people wait longer the more of their nationality
  were heard to be expelled or removed by the US;
* route choice (route_choice.py): the chance of being stopped on a route is the stop rate heard for
  the nationality on that route (before any news arrives: the checkpoints' known intensity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from corridor.engine.shared import yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.world import DEMOGRAPHICS, US_OUTCOMES

LONGEST_LAG = 180  # days: news.lag_days's upper bound, the depth of the tallies kept in transit
RELEASED = US_OUTCOMES.index("released")
RETURNED = [US_OUTCOMES.index("expelled_t42"), US_OUTCOMES.index("removed")]
NEWS_PRIOR = "hand-set prior (no measured value; word of mouth and messaging apps: AP, 23 Sep 2021)"

LEVERS = [
    Lever(
        "news.lag_days",
        14.0,
        "days",
        f"{NEWS_PRIOR}: a journey's end is shared within days by phone, but reaches those deciding to leave later",
        "delay before what happened to people of a nationality is known to those deciding at home",
        hi=LONGEST_LAG,
    ),
    Lever(
        "news.memory_days",
        60.0,
        "days",
        "hand-set prior (fitted in the built-in scenario)",
        "time constant of the memory of heard outcomes (replaces us.release_memory_days)",
        lo=1,
        hi=3650,
    ),
    Lever(
        "news.deterrence",
        1.0,
        "per unit of heard risk",
        f"{NEWS_PRIOR}; migrants know of the risks but not their size (Migration Studies 11(4), Dec 2023)",
        "departures fall by exp(-deterrence x (risk heard - reference risk)); risk = share of the news of a "
        "nationality's journeys that told of an apprehension in Mexico, a deportation from it or a death "
        "(weighted by news.death_weight) rather than of a US outcome",
        hi=20,
    ),
    Lever(
        "news.reference_risk",
        0.5,
        "share",
        "hand-set; in the built-in scenario the risk each nationality heard in FY2020-FY2023 of a run without "
        "deterrence, so that the levels of origins.csv keep their meaning and only changes in risk deter",
        "heard risk at which the deterrence factor is 1",
        index="group",
        hi=1,
    ),
    Lever(
        "news.death_weight",
        90.0,
        "apprehensions per death",
        "hand-set: the built-in scenario's fitted route.risk_aversion / route.detection_aversion (1815 / 20)",
        "how many apprehensions in Mexico one heard death weighs in the heard risk",
        hi=1e5,
    ),
    Lever(
        "news.route_weight",
        1.0,
        "share",
        f"{NEWS_PRIOR}: Haitians warned each other of areas heavy with Mexican immigration officers (AP, 2021)",
        "weight of the stop rate heard for a nationality on a route in its route choice (0 = checkpoints ignored)",
        hi=5,
    ),
]


def _views(shapes: tuple[tuple[int, ...], ...]) -> tuple[np.ndarray, list[np.ndarray]]:
    """One zeroed buffer and a view of it per shape, in order: a day's copy, clearing or remembering of
    every count is then one array operation instead of one per field."""
    sizes = [math.prod(shape) for shape in shapes]
    buffer = np.zeros(sum(sizes))
    starts = np.cumsum([0, *sizes[:-1]])
    views = [buffer[at : at + size].reshape(shape) for shape, size, at in zip(shapes, sizes, starts, strict=True)]
    return buffer, views


def _journey_shapes(groups: int, routes: int) -> tuple[tuple[int, ...], ...]:
    """entered, stopped, died: (2 x group + smuggled, route); us_outcomes: (group, demographic, US outcome)."""
    journeys = (2 * groups, routes)
    return journeys, journeys, journeys, (groups, len(DEMOGRAPHICS), len(US_OUTCOMES))


@dataclass
class JourneyTally:
    """Today's journeys by nationality, in agents; phases add to it, the word-of-mouth phase empties it."""

    entered: np.ndarray  # (2 x group + smuggled, route): people setting out on a route
    stopped: np.ndarray  # (2 x group + smuggled, route): apprehended at Mexican checkpoints on it
    died: np.ndarray  # (2 x group + smuggled, route)
    us_outcomes: np.ndarray  # (group, demographic, US outcome)
    buffer: np.ndarray = field(repr=False)  # the fields above are views of it, in this order

    @classmethod
    def empty(cls, groups: int, routes: int) -> JourneyTally:
        buffer, (entered, stopped, died, us_outcomes) = _views(_journey_shapes(groups, routes))
        return cls(entered, stopped, died, us_outcomes, buffer)


@dataclass
class Heard:
    """What a nationality remembers hearing (remembered counts in agents; rates are their ratios)."""

    departed: np.ndarray  # (group,)
    deported: np.ndarray  # (group,): deported from Mexico
    entered: np.ndarray  # (2 x group + smuggled, route): travelling with a smuggler or not, as route choice
    stopped: np.ndarray  # (2 x group + smuggled, route)
    died: np.ndarray  # (2 x group + smuggled, route)
    us_outcomes: np.ndarray  # (group, demographic, US outcome)
    buffer: np.ndarray = field(repr=False)  # the fields above are views of it, in this order; its tail is a tally's

    @classmethod
    def empty(cls, groups: int, routes: int) -> Heard:
        buffer, (departed, deported, *journeys) = _views(((groups,), (groups,), *_journey_shapes(groups, routes)))
        entered, stopped, died, us_outcomes = journeys
        return cls(departed, deported, entered, stopped, died, us_outcomes, buffer)

    def stop_rate(self) -> np.ndarray:
        """Heard share of entries on each route stopped, per (2 x group + smuggled, route); NaN where none heard."""
        return _ratio(self.stopped, self.entered)

    def deterrence(self, params) -> np.ndarray:
        """Factor on departures per group: exp(-deterrence x (heard risk - reference risk)); 1 where no
        departure of the group was heard of."""
        excess = self.risk(params.scalar("news.death_weight")) - params["news.reference_risk"]
        return np.exp(-params.scalar("news.deterrence") * np.where(np.isnan(excess), 0.0, excess))

    def risk(self, death_weight: float) -> np.ndarray:
        """Share of what a group heard of journeys that was bad news: apprehensions in Mexico, deportations
        from it and (weighted) deaths, against those and the US outcomes; NaN where nothing was heard. Counted
        among news heard in the same days, it does not move when fewer set out (parole from home)."""
        per_group = len(self.departed), -1
        stopped, died = self.stopped.reshape(per_group).sum(axis=1), self.died.reshape(per_group).sum(axis=1)
        bad = stopped + self.deported + death_weight * died
        return _ratio(bad, bad + self.us_outcomes.sum(axis=(1, 2)))

    def release_share(self) -> np.ndarray:
        """Heard share of US outcomes that were releases, per (group, demographic); NaN where none heard."""
        return _ratio(self.us_outcomes[..., RELEASED], self.us_outcomes.sum(axis=-1))

    def return_share(self) -> np.ndarray:
        """Heard share of US outcomes that were expulsions or removals, per (group, demographic); NaN where none."""
        return _ratio(self.us_outcomes[..., RETURNED].sum(axis=-1), self.us_outcomes.sum(axis=-1))


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator (of one shape), NaN where the denominator is (nearly) 0."""
    return np.divide(numerator, denominator, out=np.full_like(denominator, np.nan), where=denominator > 1e-12)


class WordOfMouth(Phase):
    name = "word_of_mouth"
    LEVERS = LEVERS
    PRODUCES = ("heard", "tally")
    READS = (yesterday("heard"), yesterday("tally"))

    def __init__(self, world):
        super().__init__(world)
        groups, routes = len(world.groups), len(world.route_names)
        self._in_transit = [Heard.empty(groups, routes) for _ in range(LONGEST_LAG + 1)]  # ring by day

    def apply(self, sim, day: int) -> None:
        """Put today's tally in transit, and let the news that left ``lag`` days ago arrive."""
        tally, counters = sim.shared.tally, sim.counters
        sent = self._in_transit[day % len(self._in_transit)]
        sent.departed[:] = counters["departures"][day]
        sent.deported[:] = counters["mx_deportations"][day]
        sent.buffer[-tally.buffer.size :] = tally.buffer
        tally.buffer[:] = 0.0
        lag = int(sim.params.scalar("news.lag_days"))
        if day < lag:
            return
        arrived = self._in_transit[(day - lag) % len(self._in_transit)]
        if sim.shared.heard is None:
            sim.shared.heard = Heard.empty(len(self.world.groups), len(self.world.route_names))
        remembered = sim.shared.heard.buffer
        remembered += (arrived.buffer - remembered) / sim.params.scalar("news.memory_days")
