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

import numpy as np
from numba import njit
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

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
        self.sectors = np.flatnonzero(world.place_sector >= 0)
        self._reads: tuple[str, ...] = ()  # levers the table read when it was last built
        self._key = None
        self._table = None
        self._built_on = None

    def apply(self, sim, day: int) -> None:
        """Rebuild the choice table when effort, a lever it read or the news heard (weekly) changed, on the
        day of a policy event or at most weekly during gradual changes (ramps, the weekly bargain)."""
        effort, params, heard = sim.shared.effort, sim.params, sim.shared.heard
        news_week = None if heard is None else day // 7
        key = (effort, params.fingerprint(self._reads), news_week)
        due = self._built_on is None or day - self._built_on >= 7 or sim.timeline.fires_on(day)
        if key != self._key and due:
            with params.recording() as reads:
                self._table = self.choice_table(params, effort, None if heard is None else heard.stop_rate())
            self._reads = tuple(sorted(reads))
            self._key, self._built_on = (effort, params.fingerprint(self._reads), news_week), day
        entries, entered = sim.counters["route_entries"][day], sim.shared.tally.entered
        _choose(sim.seed, day, agents(sim), self.arrays, self._table, entries, entered)

    def choice_table(self, params, effort: float, heard_stop: np.ndarray | None = None) -> np.ndarray:
        """Probability of each CSR slot for each (group, smuggled) table row. The chance of being stopped
        is the rate heard for the row's people on each route (``heard_stop``, NaN where none heard), else
        what the checkpoints' known intensity implies, weighted by news.route_weight."""
        w = self.world
        stopped = detection_probability(w, params, effort)
        days = w.route_km / params["travel.speed_km_day"][w.route_mode]
        death = 1 - (1 - params["mortality.hazard"][w.route_mode]) ** np.maximum(days, 1.0)
        base = days + params.scalar("route.risk_aversion") * death
        base = base + np.where(w.route_mode == MODES.index("air"), params.scalar("route.air_cost"), 0.0)
        base = base + np.where(w.route_mode == MODES.index("port"), params.scalar("ports.walkin_cost"), 0.0)
        urban = np.isin(w.route_mode, URBAN_CROSSINGS) & (w.route_flow == FLOWS.index("crossing"))
        enforcement = np.maximum(params["border.city_enforcement"][w.route_from] - 1.0, 0.0)
        base = base + np.where(urban, params.scalar("border.urban_enforcement_cost") * enforcement, 0.0)
        base = base + params["route.place_risk_cost"][w.route_to]
        open_route = params["route.open"] > 0.5
        air_entry = w.route_entry == ENTRIES.index("air_mexico")
        truck = w.route_mode == MODES.index("truck")
        slots = w.graph.link_ids
        table = np.zeros((2 * len(w.groups), slots.shape[0]))
        for g in range(len(w.groups)):
            for smuggled in (0, 1):
                perceived_stop = stopped[g] * (
                    1 - params.scalar("checkpoints.bribe_pass_smuggled")
                    if smuggled
                    else 1 - params.scalar("checkpoints.bribe_pass")
                )
                if heard_stop is not None:
                    row = heard_stop[2 * g + smuggled]
                    perceived_stop = np.where(np.isnan(row), perceived_stop, row)
                perceived_stop = perceived_stop * params.scalar("news.route_weight")
                cost = base + params.scalar("route.detection_aversion") * perceived_stop
                usable = open_route & ~(air_entry & (params["visa.required"][g] > 0.5)) & (smuggled | ~truck)
                table[2 * g + smuggled] = self._slot_probabilities(
                    cost, usable, params.scalar("route.choice_sharpness")
                )
        return table

    def _slot_probabilities(self, cost: np.ndarray, usable: np.ndarray, sharpness: float) -> np.ndarray:
        w = self.world
        n = len(w.place_names)
        edges = np.flatnonzero(usable)
        reverse = csr_matrix((cost[edges] + 1e-9, (w.route_to[edges], w.route_from[edges])), shape=(n, n))
        value = dijkstra(reverse, directed=True, indices=self.sectors, min_only=True)
        total = np.where(usable, cost + value[w.route_to], np.inf)
        best = np.full(n, np.inf)
        np.minimum.at(best, w.route_from, total)
        finite = np.isfinite(total)
        weight = np.zeros_like(total)
        weight[finite] = np.exp(-sharpness * (total[finite] - best[w.route_from[finite]]))
        norm = np.zeros(n)
        np.add.at(norm, w.route_from, weight)
        probability = np.divide(weight, norm[w.route_from], out=np.zeros_like(weight), where=norm[w.route_from] > 0)
        return probability[w.graph.link_ids]
