"""Route choice: where people (and their smugglers) go next, by time, risk, enforcement and cost.

Each link has a generalised cost in days-equivalent for a group with or without a smuggler:
travel days + aversion x chance of being stopped + aversion x chance of death + fares and
penalties; closed links (closures, visa requirements, truck routes without a smuggler) are
removed. A value function V(place) = cheapest cost on to any US Border Patrol sector (Dijkstra)
makes every choice forward-looking, and the next link is drawn from a logit over
cost(link) + V(link's end). Raising enforcement on one city's urban crossing therefore moves
crossings to desert routes or other cities: smugglers' displacement (The New York Times, late
Feb/early Mar 2024). Visa requirements close air routes into Mexico for a group (Venezuela from
21 Jan 2022 shifted people to the Darién: corridor/data/darien/darien_annual_by_nationality_2019_2022.csv).
Tables are rebuilt only when effort or a lever they read changes (at most weekly during ramps); the
levers they read are recorded while a table is built, so no list of them is kept by hand.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.engine.shared import today, yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.phases.checkpoints import detection_probability
from corridor.models.us_mexico.sources import LPO_2021_NARCO_ELECTIONS, NYT_2024_MEXICO_ELECTIONS
from corridor.models.us_mexico.world import ENTRIES, Status
from corridor.results.outputs import Output
from corridor.scenario.schema import FLOWS, MODES

LEVERS = [
    Lever(
        "route.open",
        1.0,
        "0/1",
        "closures in policies.yaml (ports, rail bridges, air routes)",
        "whether a route can be used",
        index="route",
        hi=1,
    ),
    Lever(
        "visa.required",
        0.0,
        "0/1",
        "Mexican visa requirements: Venezuelans from 21 Jan 2022 (DOF, 6 Jan 2022; La Jornada, 23 Jan 2022)",
        "1 = the group needs a Mexican visa, closing air routes into Mexico",
        index="group",
        hi=1,
    ),
    Lever(
        "route.choice_sharpness",
        0.25,
        "1/day-equivalent",
        "hand-set prior",
        "logit scale of route choice",
        lo=1e-3,
        hi=100,
    ),
    Lever(
        "route.detection_aversion",
        15.0,
        "days-equivalent",
        "hand-set prior",
        "cost of a certain stop by Mexican enforcement",
        hi=1e4,
    ),
    Lever("route.risk_aversion", 3000.0, "days-equivalent", "hand-set prior", "cost of a certain death", hi=1e7),
    Lever("route.air_cost", 4.0, "days-equivalent", "hand-set prior", "fare and document cost of a flight", hi=1000),
    Lever(
        "route.place_risk_cost",
        0.0,
        "days-equivalent",
        f"{LPO_2021_NARCO_ELECTIONS} (US Northern Command: crime groups control about a third of Mexico); "
        "kidnapping risk in border cities: hand-set, unverified",
        "extra cost of travelling into a place controlled by organised crime",
        index="place",
        hi=1000,
    ),
    Lever(
        "ports.walkin_cost",
        5.0,
        "days-equivalent",
        "hand-set prior",
        "cost of presenting at a port of entry without an appointment",
        hi=1000,
    ),
    Lever(
        "ports.group_walkin_factor",
        1.0,
        "multiplier",
        "fitted to ports by nationality (corridor/data/cbp: the CBP state file's SW-border totals less DHS OHSS Border "
        "Patrol by citizenship): 46% of Haitians' encounters were at ports in FY2022 and 99% in FY2023, against "
        "0-25% for the other large nationalities",
        "multiplies ports.walkin_cost for one nationality: how easily its people present at a port",
        index="group",
        hi=100,
    ),
    Lever(
        "border.urban_enforcement_cost",
        4.0,
        "days-equivalent per unit of city enforcement above 1",
        f"{NYT_2024_MEXICO_ELECTIONS} (checkpoints at the wall gap; smugglers move crossings to the desert)",
        "extra cost of a city's urban crossings as its enforcement rises",
        hi=1000,
    ),
]

CHOOSE = rng.decision_id("route.choose")
URBAN_CROSSINGS = (MODES.index("foot"), MODES.index("river"), MODES.index("port"))


class TableInputs(NamedTuple):
    """What one choice table is computed from, as plain arrays: the lever values it depends on, already
    read, and the world's fixed route masks and the routes into each place."""

    base: np.ndarray  # by route: cost in days-equivalent shared by every row (days, death, fares, city, place)
    port: np.ndarray  # by route: presenting at a port of entry
    port_cost: np.ndarray  # by group: cost of presenting at a port without an appointment
    stopped: np.ndarray  # by (group, route): chance of a stop implied by the checkpoints' known intensity
    unbribed: np.ndarray  # by smuggled (0, 1): share of those stops that no bribe gets past
    heard_stop: np.ndarray  # by (2 x group + smuggled, route): the stop rate heard, NaN where none heard
    route_weight: float  # news.route_weight
    detection_aversion: float
    sharpness: float
    open_route: np.ndarray  # by route
    visa_required: np.ndarray  # by group: air routes into Mexico are closed to the group
    air_entry: np.ndarray  # by route: an air route into Mexico
    truck: np.ndarray  # by route: usable only with a smuggler
    routes_by_end: np.ndarray  # route numbers sorted by the place they lead to
    routes_into: np.ndarray  # the routes leading to place p are routes_by_end[routes_into[p] : routes_into[p + 1]]


@njit(cache=True)
def _choice_table(world, inputs, table):
    """Fill table[2 x group + smuggled, slot] with the chance of taking each CSR slot's link from its place:
    a logit over cost(link) + V(link's end), V being the cheapest cost on to any Border Patrol sector."""
    n_routes = world.route_from.shape[0]
    cost = np.empty(n_routes)
    usable = np.empty(n_routes, np.bool_)
    for row in range(table.shape[0]):
        group, smuggled = row // 2, row % 2
        for r in range(n_routes):
            perceived_stop = inputs.stopped[group, r] * inputs.unbribed[smuggled]
            if not np.isnan(inputs.heard_stop[row, r]):
                perceived_stop = inputs.heard_stop[row, r]
            cost[r] = inputs.base[r] + inputs.detection_aversion * (perceived_stop * inputs.route_weight)
            if inputs.port[r]:
                cost[r] += inputs.port_cost[group]
            visa_closed = inputs.air_entry[r] and inputs.visa_required[group]
            usable[r] = inputs.open_route[r] and not visa_closed and (smuggled == 1 or not inputs.truck[r])
        value = _value_on_to_border(world, inputs, cost, usable)
        _logit_over_slots(world, cost, usable, value, inputs.sharpness, table[row])


@njit(cache=True)
def _value_on_to_border(world, inputs, cost, usable):
    """V(place): the cheapest cost from each place on to any Border Patrol sector (inf where none can be
    reached), by Dijkstra from the sectors backwards along the usable links; the graph is tiny, so the next
    place to settle is found by a scan. Of parallel links between two places (foot, port and truck from one
    city to one sector), the cheapest counts. (Until 30 Nov 2026 their costs were summed: a scipy sparse
    matrix adds duplicate entries.)"""
    n_places = world.place_sector.shape[0]
    value = np.where(world.place_sector >= 0, 0.0, np.inf)
    settled = np.zeros(n_places, np.bool_)
    for _ in range(n_places):
        here, lowest = -1, np.inf
        for place in range(n_places):
            if not settled[place] and value[place] < lowest:
                here, lowest = place, value[place]
        if here < 0:
            break  # the rest cannot reach a sector
        settled[here] = True
        for k in range(inputs.routes_into[here], inputs.routes_into[here + 1]):
            r = inputs.routes_by_end[k]
            through = cost[r] + lowest
            if usable[r] and through < value[world.route_from[r]]:
                value[world.route_from[r]] = through
    return value


@njit(cache=True)
def _logit_over_slots(world, cost, usable, value, sharpness, out):
    """out[slot] = the chance of each place's usable links, exp(-sharpness x (cost + V(end) - best)), normalised
    over the place's links; 0 for a link that is closed or leads nowhere near the border."""
    n_routes = cost.shape[0]
    total = np.full(n_routes, np.inf)
    best = np.full(value.shape[0], np.inf)
    for r in range(n_routes):
        if usable[r]:
            total[r] = cost[r] + value[world.route_to[r]]
            best[world.route_from[r]] = min(best[world.route_from[r]], total[r])
    weight = np.zeros(n_routes)
    norm = np.zeros(value.shape[0])
    for r in range(n_routes):
        if np.isfinite(total[r]):
            weight[r] = np.exp(-sharpness * (total[r] - best[world.route_from[r]]))
            norm[world.route_from[r]] += weight[r]
    for slot in range(out.shape[0]):
        r = world.graph_link_ids[slot]
        here = norm[world.route_from[r]]
        out[slot] = weight[r] / here if here > 0 else 0.0


@njit(cache=True)
def _choose(seed, day, agents, world, slot_probability, entries, entered):
    """Everyone at a place draws the next link from the choice table of their group and smuggler:
    slot_probability[2 x group + smuggled, slot], slots as in world.graph_link_ids. ``entered`` tallies
    entries by (table row, route) for word of mouth."""
    key = rng.stream(seed, CHOOSE, day)
    status, link, days = agents.status, agents.link, agents.days
    offsets, slot_link = world.graph_offsets, world.graph_link_ids
    for i in range(status.shape[0]):
        if status[i] != Status.AT_PLACE:
            continue
        here = agents.place[i]
        table = agents.group[i] * 2 + agents.smuggled[i]
        u = rng.draw(key, agents.id[i])
        total = 0.0
        chosen = -1
        for slot in range(offsets[here], offsets[here + 1]):
            p = slot_probability[table, slot]
            if p > 0.0:
                chosen = slot_link[slot]
                total += p
                if u < total:
                    break
        if chosen < 0:
            days[i] += 1  # nowhere open to go today
            continue
        link[i] = chosen
        agents.km_left[i] = world.route_km[chosen]
        status[i] = Status.ON_LINK
        days[i] = 0
        entries[chosen] += 1
        entered[table, chosen] += 1


class RouteChoice(Phase):
    name = "route_choice"
    LEVERS = LEVERS
    OUTPUTS = (
        Output("route_entries", ("time", "route"), "people/day", "people setting out on each route", "flow"),
        Output("crossings", ("time", "route"), "people/day", "people setting out on routes into the US", "flow"),
    )
    READS = (today("effort"), yesterday("heard"), yesterday("tally"))

    def __init__(self, world):
        super().__init__(world)
        self.urban = np.isin(world.route_mode, URBAN_CROSSINGS) & (world.route_flow == FLOWS.index("crossing"))
        self.air_entry = world.route_entry == ENTRIES.index("air_mexico")
        self.port = world.route_mode == MODES.index("port")
        self.truck = world.route_mode == MODES.index("truck")
        self.routes_by_end = np.argsort(world.route_to, kind="stable")
        self.routes_into = np.searchsorted(world.route_to[self.routes_by_end], np.arange(len(world.place_names) + 1))
        self.nothing_heard = np.full((2 * len(world.groups), len(world.route_names)), np.nan)
        self._reads: tuple[str, ...] = ()  # levers the table read when it was last built
        self._key = None
        self._table = None
        self._built_on = None
        self.table_builds = 0  # tables built in this run, and the seconds they took (benchmarks/full_run.py)
        self.table_seconds = 0.0

    def apply(self, sim, day: int) -> None:
        """Rebuild the choice table when effort, a lever it read or the news heard (weekly) changed, on the
        day of a policy event or at most weekly during gradual changes (ramps, the weekly bargain)."""
        effort, params, heard = sim.shared.effort, sim.params, sim.shared.heard
        due = self._built_on is None or day - self._built_on >= 7 or sim.timeline.fires_on(day)
        if due:  # the inputs are compared only when a rebuild may happen: lever fingerprints cost
            news_week = None if heard is None else day // 7
            if (effort, params.fingerprint(self._reads), news_week) != self._key:
                start = time.perf_counter()
                with params.recording() as reads:
                    self._table = self.choice_table(params, effort, None if heard is None else heard.stop_rate())
                self._reads = tuple(sorted(reads))
                self._key, self._built_on = (effort, params.fingerprint(self._reads), news_week), day
                self.table_builds += 1
                self.table_seconds += time.perf_counter() - start
        entries, entered = sim.counters["route_entries"][day], sim.shared.tally.entered
        _choose(sim.seed, day, agents(sim), self.arrays, self._table, entries, entered)

    def choice_table(self, params, effort: float, heard_stop: np.ndarray | None = None) -> np.ndarray:
        """Probability of each CSR slot for each (group, smuggled) table row. The chance of being stopped
        is the rate heard for the row's people on each route (``heard_stop``, NaN where none heard), else
        what the checkpoints' known intensity implies, weighted by news.route_weight. The levers are read
        here (so ``params.recording()`` sees them); the kernel gets plain arrays."""
        w = self.world
        days = w.route_km / params["travel.speed_km_day"][w.route_mode]
        death = 1 - (1 - params["mortality.hazard"][w.route_mode]) ** np.maximum(days, 1.0)
        base = days + params.scalar("route.risk_aversion") * death
        base = base + np.where(w.route_mode == MODES.index("air"), params.scalar("route.air_cost"), 0.0)
        enforcement = np.maximum(params["border.city_enforcement"][w.route_from] - 1.0, 0.0)
        base = base + np.where(self.urban, params.scalar("border.urban_enforcement_cost") * enforcement, 0.0)
        base = base + params["route.place_risk_cost"][w.route_to]
        costs = TableInputs(
            base=base,
            port=self.port,
            port_cost=params.scalar("ports.walkin_cost") * params["ports.group_walkin_factor"],
            stopped=detection_probability(w, params, effort),
            unbribed=np.array(
                [1 - params.scalar("checkpoints.bribe_pass"), 1 - params.scalar("checkpoints.bribe_pass_smuggled")]
            ),
            heard_stop=self.nothing_heard if heard_stop is None else heard_stop,
            route_weight=params.scalar("news.route_weight"),
            detection_aversion=params.scalar("route.detection_aversion"),
            sharpness=params.scalar("route.choice_sharpness"),
            open_route=params["route.open"] > 0.5,
            visa_required=params["visa.required"] > 0.5,
            air_entry=self.air_entry,
            truck=self.truck,
            routes_by_end=self.routes_by_end,
            routes_into=self.routes_into,
        )
        table = np.zeros((2 * len(w.groups), w.graph.link_ids.shape[0]))
        _choice_table(self.arrays, costs, table)
        return table
