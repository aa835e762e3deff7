"""Detention in Mexico and what follows: deportation, decompression south, or release.

A detainee can be deported only if their country has a return agreement, the receiving country's
required notice fits inside the legal maximum of detention, and a seat is free on today's removal
capacity; otherwise they are released when the maximum passes. Since the Supreme Court's ruling of
15 Mar 2023 the maximum is 36 hours, shorter than the 72 hours' notice many countries demand, so
deportations fall (The New York Times, late Feb/early Mar 2024; SCJN amparo en revision 388/2022;
Ley de Migracion art. 111). Instead of release in place, Mexico
may bus or fly people to southern cities, from where they travel north again and pay again
(decompression). Detention has a capacity; past it new detainees are released at once. Each removal
costs Mexico its flight or bus (``mx_removal_cost_usd``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.sources import NYT_2024_MEXICO_ELECTIONS
from corridor.models.us_mexico.world import Status
from corridor.results.outputs import Output

LEVERS = [
    Lever(
        "detention.max_hours",
        504.0,
        "hours",
        "Ley de Migracion art. 111: 15 working days; 36 h after SCJN amparo en revision 388/2022 (15 Mar 2023)",
        "legal maximum of administrative migration detention",
        lo=1,
        hi=10000,
    ),
    Lever(
        "detention.capacity",
        12000.0,
        "people",
        "hand-set prior (no published figure found)",
        "people Mexico can hold at once",
        hi=1e7,
    ),
    Lever(
        "removal.notice_hours",
        72.0,
        "hours",
        f"{NYT_2024_MEXICO_ELECTIONS} (72 hours' notice before a return flight; one Mexican official, unconfirmed)",
        "notice the receiving country requires before accepting a return",
        index="group",
        hi=10000,
    ),
    Lever(
        "removal.processing_hours",
        24.0,
        "hours",
        "hand-set prior",
        "time to process a removal besides notice",
        hi=10000,
    ),
    Lever(
        "removal.agreement",
        1.0,
        "0/1",
        "Mexico-Venezuela return deal: SRE release on the Palenque meeting, 22 Oct 2023; Reuters, 21 Mar 2024",
        "whether the group's country accepts returns from Mexico",
        index="group",
        hi=1,
    ),
    Lever(
        "removal.capacity_per_day",
        350.0,
        "people/day",
        "2021 returns 114,366 = 313/day "
        "(UPM via press: corridor/data/mexico/mexico_upm_inm_figures_from_press_2019_2024.csv)",
        "removal seats (flights and buses) a day; at any scale the agents' seats average exactly this x scale",
        hi=1e6,
    ),
    Lever(
        "removal.cost_usd",
        500.0,
        "USD per person",
        f"{NYT_2024_MEXICO_ELECTIONS} (flights are costly); hand-set",
        "cost to Mexico of one removal",
        hi=1e5,
    ),
    Lever(
        "detention.give_up_share",
        0.2,
        "share",
        f"hand-set prior; {NYT_2024_MEXICO_ELECTIONS} (paying again and facing the same risks)",
        "share of people released from Mexican detention (in place or in the south) who go home instead",
        hi=1,
    ),
    Lever(
        "decompression.rate",
        0.0,
        "share",
        f"{NYT_2024_MEXICO_ELECTIONS}; CBP statement of acting commissioner Troy Miller, May 2023",
        "share of released detainees moved to southern cities instead of released in place",
        hi=1,
    ),
    Lever(
        "decompression.refee_share",
        0.3,
        "share of the smuggling fee",
        f"{NYT_2024_MEXICO_ELECTIONS} (they pay again)",
        "fee paid again by smuggled people after decompression",
        hi=5,
    ),
]

DESTINATION = rng.decision_id("detention.decompression_destination")
DECOMPRESS = rng.decision_id("detention.decompress")
OVERFLOW = rng.decision_id("detention.overflow")
GIVE_UP = rng.decision_id("detention.give_up")


class DetentionLevers(NamedTuple):
    deportable: np.ndarray  # by group: a return agreement and a notice within the maximum detention
    hold_hours: np.ndarray  # by group: hours held before a removal
    max_hours: float
    removal_seats: int  # today's removal capacity, in agents
    decompress_rate: float
    give_up_share: float
    overflow_release: float  # chance a new detainee is released at once for want of room


class DetentionCounts(NamedTuple):
    deported: np.ndarray  # today's, by group
    released: np.ndarray
    decompressed: np.ndarray


@njit(cache=True)
def _detain(seed, day, agents, world, levers, counts):
    """One day of detention; returns the agents still held and how many smuggled people will pay a smuggler again."""
    destination_key = rng.stream(seed, DESTINATION, day)
    decompress_key = rng.stream(seed, DECOMPRESS, day)
    overflow_key = rng.stream(seed, OVERFLOW, day)
    give_up_key = rng.stream(seed, GIVE_UP, day)
    status, place, days, ids = agents.status, agents.place, agents.days, agents.id
    home_place, destinations = world.group_home_place, world.decompression_places
    removal_seats = levers.removal_seats
    held = 0
    refees = 0
    for i in range(status.shape[0]):
        if status[i] != Status.DETAINED:
            continue
        g = agents.group[i]
        hours = days[i] * 24.0
        days[i] += 1
        overflow = days[i] == 1 and rng.draw(overflow_key, ids[i]) < levers.overflow_release
        if not overflow and levers.deportable[g] and hours + 24.0 >= levers.hold_hours[g] and removal_seats > 0:
            removal_seats -= 1
            status[i] = Status.HOME
            place[i] = home_place[g]
            days[i] = 0
            counts.deported[g] += 1
            continue
        if overflow or hours + 24.0 >= levers.max_hours:
            days[i] = 0
            if destinations.shape[0] > 0 and rng.draw(decompress_key, ids[i]) < levers.decompress_rate:
                pick = int(rng.draw(destination_key, ids[i]) * destinations.shape[0])
                place[i] = destinations[pick]
                counts.decompressed[g] += 1
                refees += agents.smuggled[i]
            else:
                counts.released[g] += 1
            if rng.draw(give_up_key, ids[i]) < levers.give_up_share:
                status[i] = Status.HOME
                place[i] = home_place[g]
            else:
                status[i] = Status.AT_PLACE
            continue
        held += 1
    return held, refees


class Detention(Phase):
    name = "detention"
    LEVERS = LEVERS
    OUTPUTS = (
        Output(
            "mx_deportations", ("time", "group"), "people/day", "returns from Mexico to the country of origin", "flow"
        ),
        Output(
            "mx_releases",
            ("time", "group"),
            "people/day",
            "people released from Mexican detention where they were held",
            "flow",
        ),
        Output(
            "mx_decompressions",
            ("time", "group"),
            "people/day",
            "people Mexico moved from detention to southern cities",
            "flow",
        ),
        Output(
            "mx_removal_cost_usd",
            ("time",),
            "USD/day",
            "what Mexico spends on removals (removals x removal.cost_usd)",
            "flow",
        ),
        Output(
            "mx_detained",
            ("time",),
            "people",
            "people held in Mexican migration detention at the end of the day",
            "stock",
        ),
    )

    def __init__(self, world):
        super().__init__(world)
        self._seat_fraction = 0.0  # the part of a removal seat (in agents) that today's whole seats left over

    def apply(self, sim, day: int) -> None:
        s, p = sim.state, sim.params
        max_hours = p.scalar("detention.max_hours")
        hold_hours = np.maximum(p["removal.notice_hours"], p.scalar("removal.processing_hours"))
        deportable = (p["removal.agreement"] > 0.5) & (p["removal.notice_hours"] <= max_hours)
        capacity = p.scalar("detention.capacity") * sim.scale
        detained = np.count_nonzero(s.status == Status.DETAINED)
        overflow_release = max(0.0, 1.0 - capacity / detained) if detained else 0.0
        seats = self._removal_seats(p.scalar("removal.capacity_per_day") * sim.scale)
        counters = sim.counters
        levers = DetentionLevers(
            deportable=deportable,
            hold_hours=hold_hours,
            max_hours=max_hours,
            removal_seats=seats,
            decompress_rate=p.scalar("decompression.rate"),
            give_up_share=p.scalar("detention.give_up_share"),
            overflow_release=overflow_release,
        )
        counts = DetentionCounts(
            deported=counters["mx_deportations"][day],
            released=counters["mx_releases"][day],
            decompressed=counters["mx_decompressions"][day],
        )
        held, refees = _detain(sim.seed, day, agents(sim), self.arrays, levers, counts)
        counters["mx_detained"][day] = held
        counters["mx_removal_cost_usd"][day] = counts.deported.sum() * p.scalar("removal.cost_usd")
        counters["smuggler_fees_usd"][day] += (
            refees * p.scalar("decompression.refee_share") * p.scalar("smuggler.fee_usd")
        )

    def _removal_seats(self, seats_in_agents: float) -> int:
        """Today's whole removal seats; the fraction left over is carried to tomorrow, so that at a small
        scale (350 seats x 0.01 = 3.5 agents) the seats still average exactly capacity x scale a day."""
        available = seats_in_agents + self._seat_fraction
        seats = int(available)
        self._seat_fraction = available - seats
        return seats
