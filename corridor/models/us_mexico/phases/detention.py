"""Detention in Mexico and what follows an apprehension: return by land or by air, a transfer south
(decompression), or release with an order to leave.

- Land return: Guatemalans, Hondurans and Salvadorans are taken by bus from southern Mexico across the
  border under the memorandum of Mexico, El Salvador, Guatemala, Honduras and Nicaragua of May 2006 on the
  orderly, safe return of Central American migrants by land (AFP via El Comercio, 2009, on its renewal;
  El Siglo de Torreon, Aug 2011, on the first returns by land from Tapachula to San Pedro Sula). No flight
  notice is needed, but the person must be processed and carried south (distance from the place of
  detention to southern Mexico at bus speed) within the legal maximum, and buses have seats: within 36
  hours returns go on from the south and stop from the north. Mexico's returns fell 25% from Q1 2022 to
  Q1 2023 while entries rose 42% (La Jornada, 16 May 2023, 'Deportaciones desde Mexico cayeron 25% en el
  primer trimestre', UPM data).
- Air deportation: other nationalities need a return agreement, a flight seat, and the receiving country's
  notice (72 hours, one Mexican official) within the legal maximum of detention. Since the Supreme Court's
  ruling of 15 Mar 2023 the maximum is 36 hours (SCJN amparo en revision 388/2022; Ley de Migracion
  art. 111), so these deportations stop and deportations overall fall by more than half (The New York
  Times, late Feb/early Mar 2024).
- Otherwise, when the maximum passes, Mexico either moves the person to a southern city (decompression:
  CBP statement of acting commissioner Troy Miller, May 2023; The New York Times, same article), from
  where they travel north again, paying a smuggler again out of their own money, or releases them where
  they were held with an order to leave the country (an exit permit), and they go on.
Detention has a capacity; past it new detainees are released at once. Each return and transfer costs
Mexico its bus or flight (``mx_removal_cost_usd``, ``mx_decompression_cost_usd``). Returned people start
again from home (phases/home.py).
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
from corridor.scenario.schema import MODES

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
        "removal.land_return",
        0.0,
        "0/1",
        "memorandum of Mexico, El Salvador, Guatemala, Honduras and Nicaragua on the return of Central Americans "
        "by land, May 2006 (AFP via El Comercio, 2009; El Siglo de Torreon, Aug 2011)",
        "whether the group's members are returned by bus across Mexico's southern border (no flight notice)",
        index="group",
        hi=1,
    ),
    Lever(
        "removal.land_capacity_per_day",
        300.0,
        "people/day",
        "hand-set share of 2021 returns, 114,366 = 313/day (UPM via press: "
        "corridor/data/mexico/mexico_upm_inm_figures_from_press_2019_2024.csv), most of them Central Americans",
        "bus seats for returns by land a day; at any scale the agents' seats average exactly this x scale",
        hi=1e6,
    ),
    Lever(
        "removal.capacity_per_day",
        60.0,
        "people/day",
        "hand-set rest of 2021 returns, 114,366 = 313/day (UPM via press: "
        "corridor/data/mexico/mexico_upm_inm_figures_from_press_2019_2024.csv)",
        "seats on deportation flights a day; at any scale the agents' seats average exactly this x scale",
        hi=1e6,
    ),
    Lever(
        "removal.cost_usd",
        500.0,
        "USD per person",
        f"{NYT_2024_MEXICO_ELECTIONS} (flights are costly); hand-set",
        "cost to Mexico of one deportation by air",
        hi=1e5,
    ),
    Lever(
        "removal.land_cost_usd",
        50.0,
        "USD per person",
        "hand-set prior; unverified (a bus seat across southern Mexico)",
        "cost to Mexico of one return by land",
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
        "decompression.cost_usd",
        100.0,
        "USD per person",
        "hand-set prior; unverified (a bus or flight to a southern city)",
        "cost to Mexico of moving one detainee to a southern city",
        hi=1e5,
    ),
    Lever(
        "decompression.refee_share",
        0.3,
        "share of the smuggling fee",
        f"{NYT_2024_MEXICO_ELECTIONS} (they pay again)",
        "fee paid again by smuggled people after decompression, out of their own money",
        hi=5,
    ),
]

DESTINATION = rng.decision_id("detention.decompression_destination")
DECOMPRESS = rng.decision_id("detention.decompress")
OVERFLOW = rng.decision_id("detention.overflow")
GIVE_UP = rng.decision_id("detention.give_up")


# how a group's members leave detention for home, if they can
NO_RETURN, BY_LAND, BY_AIR = 0, 1, 2
BUS = MODES.index("bus")


class DetentionLevers(NamedTuple):
    return_route: np.ndarray  # by group: NO_RETURN, BY_LAND or BY_AIR, possible within the maximum detention
    hold_hours: np.ndarray  # by group: hours held before a return, besides the bus ride south for a return by land
    bus_hours_south: np.ndarray  # by place: hours by bus to southern Mexico, where returns by land set off
    max_hours: float
    seats: np.ndarray  # today's seats, in agents: [land, air]
    decompress_rate: float
    refee_usd: float  # what a smuggled person pays a smuggler again after decompression
    give_up_share: float
    overflow_release: float  # chance a new detainee is released at once for want of room


class DetentionCounts(NamedTuple):
    deported: np.ndarray  # today's, by group: land and air
    land_returned: np.ndarray
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
    seats = levers.seats.copy()
    held = 0
    refees = 0
    for i in range(status.shape[0]):
        if status[i] != Status.DETAINED:
            continue
        g = agents.group[i]
        hours = days[i] * 24.0
        days[i] += 1
        overflow = days[i] == 1 and rng.draw(overflow_key, ids[i]) < levers.overflow_release
        route = levers.return_route[g]
        need_hours = levers.hold_hours[g] + (levers.bus_hours_south[place[i]] if route == BY_LAND else 0.0)
        if need_hours > levers.max_hours:
            route = NO_RETURN
        if not overflow and route != NO_RETURN and hours + 24.0 >= need_hours and seats[route - 1] > 0:
            seats[route - 1] -= 1
            status[i] = Status.HOME
            place[i] = home_place[g]
            days[i] = 0
            counts.deported[g] += 1
            if route == BY_LAND:
                counts.land_returned[g] += 1
            continue
        if overflow or hours + 24.0 >= levers.max_hours:
            days[i] = 0
            gives_up = rng.draw(give_up_key, ids[i]) < levers.give_up_share
            if destinations.shape[0] > 0 and rng.draw(decompress_key, ids[i]) < levers.decompress_rate:
                pick = int(rng.draw(destination_key, ids[i]) * destinations.shape[0])
                place[i] = destinations[pick]
                counts.decompressed[g] += 1
                if agents.smuggled[i] == 1 and not gives_up:
                    refees += 1
                    agents.money[i] -= levers.refee_usd
            else:
                counts.released[g] += 1
            if gives_up:
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
            "mx_deportations",
            ("time", "group"),
            "people/day",
            "returns from Mexico to the country of origin, by land and by air",
            "flow",
        ),
        Output(
            "mx_land_returns",
            ("time", "group"),
            "people/day",
            "returns from Mexico by bus across its southern border (part of mx_deportations)",
            "flow",
        ),
        Output(
            "mx_releases",
            ("time", "group"),
            "people/day",
            "people released from Mexican detention where they were held, with an order to leave (exit permit)",
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
            "what Mexico spends on returns (by air x removal.cost_usd, by land x removal.land_cost_usd)",
            "flow",
        ),
        Output(
            "mx_decompression_cost_usd",
            ("time",),
            "USD/day",
            "what Mexico spends moving detainees to southern cities (transfers x decompression.cost_usd)",
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
        self._land_seats = SeatPool()
        self._air_seats = SeatPool()

    def apply(self, sim, day: int) -> None:
        s, p = sim.state, sim.params
        capacity = p.scalar("detention.capacity") * sim.scale
        detained = np.count_nonzero(s.status == Status.DETAINED)
        return_route, hold_hours = return_routes(p)
        counters = sim.counters
        refee_usd = p.scalar("decompression.refee_share") * p.scalar("smuggler.fee_usd")
        levers = DetentionLevers(
            return_route=return_route,
            hold_hours=hold_hours,
            bus_hours_south=24.0 * self.world.place_km_to_south / p["travel.speed_km_day"][BUS],
            max_hours=p.scalar("detention.max_hours"),
            seats=np.array(
                [
                    self._land_seats.today(p.scalar("removal.land_capacity_per_day") * sim.scale),
                    self._air_seats.today(p.scalar("removal.capacity_per_day") * sim.scale),
                ]
            ),
            decompress_rate=p.scalar("decompression.rate"),
            refee_usd=refee_usd,
            give_up_share=p.scalar("detention.give_up_share"),
            overflow_release=max(0.0, 1.0 - capacity / detained) if detained else 0.0,
        )
        counts = DetentionCounts(
            deported=counters["mx_deportations"][day],
            land_returned=counters["mx_land_returns"][day],
            released=counters["mx_releases"][day],
            decompressed=counters["mx_decompressions"][day],
        )
        held, refees = _detain(sim.seed, day, agents(sim), self.arrays, levers, counts)
        counters["mx_detained"][day] = held
        land = counts.land_returned.sum()
        counters["mx_removal_cost_usd"][day] = land * p.scalar("removal.land_cost_usd") + (
            counts.deported.sum() - land
        ) * p.scalar("removal.cost_usd")
        counters["mx_decompression_cost_usd"][day] = counts.decompressed.sum() * p.scalar("decompression.cost_usd")
        counters["smuggler_fees_usd"][day] += refees * refee_usd


def return_routes(params) -> tuple[np.ndarray, np.ndarray]:
    """Per group, how a detainee can be returned home within the maximum detention (NO_RETURN, BY_LAND,
    BY_AIR), and the hours they are held before it: processing (and the bus ride south, added per place
    in the kernel) by land, processing and notice by air."""
    max_hours = params.scalar("detention.max_hours")
    processing = params.scalar("removal.processing_hours")
    air_hours = np.maximum(params["removal.notice_hours"], processing)
    agreed = params["removal.agreement"] > 0.5
    by_land = agreed & (params["removal.land_return"] > 0.5)
    route = np.where(by_land, BY_LAND, np.where(agreed, BY_AIR, NO_RETURN))
    hold_hours = np.where(by_land, processing, air_hours)
    route = np.where(hold_hours <= max_hours, route, NO_RETURN)
    return route.astype(np.int64), hold_hours


class SeatPool:
    """Whole seats (in agents) a day; the fraction left over is carried to tomorrow, so that at a small
    scale (350 seats x 0.01 = 3.5 agents) the seats still average exactly capacity x scale a day."""

    def __init__(self) -> None:
        self._fraction = 0.0

    def today(self, seats_in_agents: float) -> int:
        available = seats_in_agents + self._fraction
        seats = int(available)
        self._fraction = available - seats
        return seats
