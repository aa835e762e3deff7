"""The Flee ruleset as phases of corridor's day loop, in the order of Flee's run.py:

conflict onset -> spawning -> closures -> location scores -> move decisions -> travel -> record.

:class:`FleeSim` holds the world, the agent arrays and the outputs; each phase changes one
aspect of it. What one phase hands to another is :class:`FleeShared`, declared by each phase
in ``PRODUCES`` / ``READS`` (corridor/engine/shared.py). Where Flee releases differ, a phase asks
``sim.rules`` (corridor/models/flee/rules.py). Randomness comes from rng streams, one decision id
per named decision.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from corridor.engine.rng import decision_id, stream
from corridor.engine.shared import today, yesterday
from corridor.engine.state import AgentState
from corridor.models.flee import kernels
from corridor.models.flee.model import FleeInput, SimSettings
from corridor.models.flee.observations import daily_observations
from corridor.models.flee.routes import RouteTable
from corridor.models.flee.rules import SWITCHES, RuleSwitches, effective_settings
from corridor.models.flee.world import FleeWorld, build_world
from corridor.scenario.errors import ScenarioError

AGENT_SCHEMA = {
    "aid": np.int64,
    "loc": np.int64,
    "travelling": np.bool_,
    "dist_on_link": np.float64,
    "moved": np.float64,
    "recent": np.float64,
    "places_travelled": np.int32,
    "route": np.int32,
    "route_pos": np.int32,
}
# every agent column, by the same names: what the kernels take as ``agents``
# fields from AGENT_SCHEMA, which a type checker cannot read, hence Any
FleeAgents: Any = cast(Any, namedtuple("FleeAgents", tuple(AGENT_SCHEMA)))
MOVE, ROUTE, WALK, SPAWN = (decision_id(f"flee.{name}") for name in ("move", "route", "walk", "spawn"))


@dataclass
class FleeShared:
    """Values one phase hands to others (each phase declares them in ``PRODUCES`` / ``READS``)."""

    route_weights: np.ndarray | None = None  # today's candidate-route weights (kernels.daily_weights)
    chance: np.ndarray | None = None  # today's move chance per place
    closed: frozenset = frozenset()  # indices of the closures active (as of the last closures phase)
    debt: int = 0  # spawns owed from a fall in the observed totals, taken off the next rises
    # day of Flee's last refresh_spawn_weights: run.py refreshes after spawning and on a
    # conflict onset/end, so a day without one spawns with yesterday's decay
    weights_day: int = 0


def _unsized() -> np.ndarray:
    """Placeholder for a per-run array that :func:`new_sim` sizes once it knows the world and the days."""
    return np.zeros(0, np.int64)


@dataclass
class FleeSim:
    flee: FleeInput  # with the settings its release applies (rules.effective_settings)
    seed: int
    rules: RuleSwitches
    world: FleeWorld
    series: list[str]  # observation series names (rows of ``observed``)
    observed: np.ndarray  # (series, day) observed counts as Flee prepares them
    conflicts: dict[int, np.ndarray]  # place -> intensity per day
    agents: AgentState = field(default_factory=lambda: AgentState(AGENT_SCHEMA))
    routes: RouteTable = field(default_factory=RouteTable)
    count: np.ndarray = field(default_factory=_unsized)  # live agents at each place
    shared: FleeShared = field(default_factory=FleeShared)
    spawned: np.ndarray = field(default_factory=_unsized)  # new agents per day
    camp_counts: np.ndarray = field(default_factory=_unsized)  # (day, validated camp)
    alive: np.ndarray = field(default_factory=_unsized)  # agents in the simulation at the end of each day

    @property
    def settings(self) -> SimSettings:
        return self.flee.settings

    def decay(self, day: int, places: np.ndarray | slice = slice(None)) -> np.ndarray:
        """conflict_spawn_decay multiplier by time since each place's conflict onset."""
        factors = self.settings.conflict_spawn_decay
        if not factors:
            return np.ones_like(self.world.conflict[places])
        step = (day - self.world.time_of_conflict[places]) // self.settings.conflict_spawn_decay_interval
        return np.asarray(factors)[np.clip(step, 0, len(factors) - 1)]

    def rebuild_routes(self) -> None:
        """Candidate routes for the links open now (at start and after closures change)."""
        self.routes.rebuild(self.world, self.settings.awareness_level, self.rules.awareness0_moves)


def new_sim(flee: FleeInput, seed: int = 0, days: int | None = None) -> FleeSim:
    """World at day 0 with the initial camp populations placed (Flee's add_initial_refugees)."""
    days = flee.days if days is None else days
    flee = flee.model_copy(update={"settings": effective_settings(flee.settings, flee.flee_rules)})
    world = build_world(flee)
    series, observed = daily_observations(flee, days)
    missing = [world.names[c] for c in world.camp_list if world.names[c] not in series]
    if missing:
        raise ScenarioError(
            "source_data/data_layout.csv",
            "camp has no observation series",
            key=missing[0],
            expected="one row per camp in locations.csv",
        )
    index = world.index()
    sim = FleeSim(
        flee=flee,
        seed=seed,
        rules=SWITCHES[flee.flee_rules],
        world=world,
        series=series,
        observed=observed,
        conflicts={index[n]: np.asarray(v, float) for n, v in flee.conflicts.items()},
    )
    sim.count = np.zeros(world.n_places, np.int64)
    sim.spawned = np.zeros(days, np.int64)
    sim.camp_counts = np.zeros((days, world.camp_list.size), np.int64)
    sim.alive = np.zeros(days, np.int64)
    sim.rebuild_routes()
    if flee.settings.insert_day0 and not flee.settings.empty_camps_on_day0:
        for camp in world.camp_list:
            _add_agents(sim, np.full(int(observed[series.index(world.names[camp]), 0]), camp))
    return sim


def _add_agents(sim: FleeSim, places: np.ndarray) -> None:
    first = sim.agents.n
    sim.agents.append(places.size, aid=np.arange(first, first + places.size), loc=places, places_travelled=1, route=-1)
    sim.count += np.bincount(places, minlength=sim.world.n_places)


class ConflictOnset:
    """conflicts.csv: a place becomes a conflict zone on a 0 -> positive step, a town on
    positive -> 0 (3.1: only on 1 -> 0); intensity changes while positive are ignored, as in
    Flee. Any change refreshes Flee's spawn weights."""

    name = "conflict_onset"
    PRODUCES = ("weights_day",)

    def apply(self, sim: FleeSim, day: int) -> None:
        w, s = sim.world, sim.settings
        for place, values in sim.conflicts.items():
            now = values[min(day, values.size - 1)]
            before = values[min(day - 1, values.size - 1)] if day > 0 else 0.0
            if now > 0 and before <= 0:
                w.movechance[place], w.conflict[place] = s.conflict_movechance, now
                w.town[place], w.time_of_conflict[place] = False, day
                sim.shared.weights_day = day
            elif day > 0 and now <= 0 and (before > 0 if sim.rules.any_conflict_end else before == 1.0):
                w.movechance[place], w.conflict[place], w.town[place] = s.default_movechance, -1.0, True
                sim.shared.weights_day = day


class Spawn:
    """UNHCR-driven spawning: today's rise in observed camp totals minus yesterday's debt,
    placed at conflict zones in proportion to population x intensity x decay (decay as of
    Flee's last spawn-weight refresh)."""

    name = "spawn"
    PRODUCES = ("weights_day", "debt")
    # weights_day: conflict onset's refresh today, else this phase's of yesterday
    READS = (today("weights_day"), yesterday("debt"))

    def apply(self, sim: FleeSim, day: int) -> None:
        s, w = sim.settings, sim.world
        decay_day, sim.shared.weights_day = sim.shared.weights_day, day
        new = self._daily_difference(sim, day) - sim.shared.debt
        if day == 0 and s.insert_day0:
            new = 0
            if sim.rules.day0_capacity_cut:
                day0 = {name: sim.observed[i, 0] for i, name in enumerate(sim.series)}
                room = w.capacity > 0
                w.capacity[room] -= [int(day0.get(w.names[p], 0)) for p in np.flatnonzero(room)]
        if new < 0:
            sim.shared.debt, new = -new, 0
        else:
            sim.shared.debt = 0
        weights = np.where(w.conflict > 0, w.pop * w.conflict * sim.decay(decay_day), 0.0)
        if new == 0 or weights.sum() <= 0:
            return
        key = _key(sim, SPAWN, day)
        places = kernels.spawn_places(key, sim.agents.n, new, np.cumsum(weights))
        _add_agents(sim, places)
        sim.spawned[day] = new
        if s.take_from_population:
            w.pop = np.maximum(w.pop - np.bincount(places, minlength=w.n_places), 0)

    @staticmethod
    def _daily_difference(sim: FleeSim, day: int) -> int:
        rows = (
            [i for i, n in enumerate(sim.series) if n != "total"]
            if sim.settings.sum_from_camps
            else [sim.series.index("total")]
        )
        today = sim.observed[rows, day]
        if day == 0:
            return 0 if sim.settings.empty_camps_on_day0 else int(today.sum())
        return int((today - sim.observed[rows, day - 1]).sum())


class Closures:
    """closures.csv: links (by country pair, location, or link) and camps closed between start
    and end day; an end that is -1 or not after start never reopens. 3.1 closes no ``link``."""

    name = "closures"
    PRODUCES = ("closed",)
    READS = (yesterday("closed"),)

    def apply(self, sim: FleeSim, day: int) -> None:
        active = frozenset(
            i for i, c in enumerate(sim.flee.closures) if c.start <= day and (c.end <= c.start or day < c.end)
        )
        if day > 0 and active == sim.shared.closed:
            return
        w, s, index = sim.world, sim.settings, sim.world.index()
        country = {name: i for i, name in enumerate(dict.fromkeys(location.country for location in sim.flee.locations))}
        w.link_open[:] = True
        closed_camps = set()
        for i in active:
            c = sim.flee.closures[i]
            if c.kind == "country":
                a, b = country[c.name1], country[c.name2]
                cs, cd = w.country[w.link_src], w.country[w.link_dst]
                w.link_open &= ~(((cs == a) & (cd == b)) | ((cs == b) & (cd == a)))
            elif c.kind == "location":
                p = index[c.name1]
                w.link_open &= (w.link_src != p) & (w.link_dst != p)
            elif c.kind == "link" and sim.rules.link_closures:
                a, b = index[c.name1], index[c.name2]
                w.link_open &= ~(((w.link_src == a) & (w.link_dst == b)) | ((w.link_src == b) & (w.link_dst == a)))
            elif c.kind in ("camp", "idpcamp"):
                closed_camps.add(index[c.name1])
        for place in {index[c.name1] for c in sim.flee.closures if c.kind in ("camp", "idpcamp")}:
            shut = place in closed_camps
            w.camp[place], w.town[place] = not shut, shut
            w.movechance[place] = s.default_movechance if shut else w.camp_movechance(s)[place]
        sim.shared.closed = active
        sim.rebuild_routes()


class Scores:
    """Location attractiveness (scoring.updateLocationScore), the route weights it gives for the
    day, and today's move chances."""

    name = "scores"
    PRODUCES = ("route_weights", "chance")

    def apply(self, sim: FleeSim, day: int) -> None:
        w, s = sim.world, sim.settings
        score = np.where(w.foreign, s.foreign_weight, 1.0) * np.where(w.camp, s.camp_weight, 1.0)
        hot = w.conflict > 0
        score[hot] *= s.conflict_weight ** (sim.decay(day, hot) * w.conflict[hot])
        r = sim.routes
        sim.shared.route_weights = kernels.daily_weights(
            r.offsets, r.end, r.km, score, s.softening, s.distance_power, s.weight_softening, s.weight_power
        )
        sim.shared.chance = w.movechance
        if s.movechance_pop_scale_factor:
            size = np.maximum(w.pop, w.capacity) / s.movechance_pop_base
            sim.shared.chance = w.movechance * size**s.movechance_pop_scale_factor


def _key(sim: FleeSim, decision: int, day: int) -> np.uint64:
    """A decision's stream key for today, typed so numba keeps it unsigned."""
    return np.uint64(stream(sim.seed, decision, day))


def _places(sim: FleeSim, chance: np.ndarray | None) -> kernels.Places:
    """Places and links for the move and travel kernels, with today's move chances."""
    assert chance is not None, "move chances are produced earlier in the day (see READS)"
    w = sim.world
    return kernels.Places(
        chance=chance,
        town=w.town,
        camp=w.camp,
        capacity=w.capacity * sim.settings.capacity_scaling,
        occupants=sim.count,
        offsets=w.graph.offsets,
        link_ids=w.graph.link_ids,
        link_src=w.link_src,
        link_dst=w.link_dst,
        link_open=w.link_open,
        link_km=w.link_km,
        link_speed=w.link_speed,
        link_walk=w.link_walk,
    )


def _candidates(sim: FleeSim, route_weights: np.ndarray | None) -> kernels.Candidates:
    assert route_weights is not None, "route weights are produced earlier in the day (see READS)"
    r = sim.routes
    return kernels.Candidates(
        nodes=r.nodes, length=r.length, offsets=r.offsets, route=r.route, end=r.end, weights=route_weights
    )


def _route_params(settings: SimSettings) -> kernels.RouteParams:
    return kernels.RouteParams(
        weight_power=settings.weight_power,
        capacity_buffer=settings.capacity_buffer,
        pruning_threshold=settings.pruning_threshold,
        uniform=1.0 if settings.awareness_level == 0 else 0.0,
    )


class Move:
    """Each agent at a place decides whether to leave and steps onto the next link."""

    name = "move"
    READS = (today("chance"), today("route_weights"))

    def apply(self, sim: FleeSim, day: int) -> None:
        agents = sim.agents.columns(FleeAgents)
        places = _places(sim, sim.shared.chance)
        movers = kernels.leaving(_key(sim, MOVE, day), agents, places, sim.rules.route_forces_move)
        candidates = _candidates(sim, sim.shared.route_weights)
        kernels.step_out_agents(movers, _key(sim, ROUTE, day), agents, places, candidates, _route_params(sim.settings))


class Travel:
    """Agents on links advance by today's speed, arrive, and may continue the same day."""

    name = "travel"
    READS = (today("chance"), today("route_weights"))

    def apply(self, sim: FleeSim, day: int) -> None:
        s, agents = sim.settings, sim.agents.columns(FleeAgents)
        keys = kernels.Keys(move=_key(sim, MOVE, day), route=_key(sim, ROUTE, day), walk=_key(sim, WALK, day))
        travel = kernels.TravelParams(
            max_move_speed=s.max_move_speed,
            max_walk_speed=s.max_walk_speed,
            start_on_foot=s.start_on_foot,
            avoid_short_stints=s.avoid_short_stints,
        )
        kernels.travel_agents(
            np.flatnonzero(agents.travelling),
            keys,
            agents,
            _places(sim, sim.shared.chance),
            _candidates(sim, sim.shared.route_weights),
            _route_params(s),
            sim.rules.route_forces_move,
            travel,
        )


class Record:
    """Agents in each validated camp, and agents in the simulation, at the end of the day."""

    name = "record"

    def apply(self, sim: FleeSim, day: int) -> None:
        sim.camp_counts[day] = sim.count[sim.world.camp_list]
        sim.alive[day] = sim.agents.n


def flee_phases() -> list:
    return [ConflictOnset(), Spawn(), Closures(), Scores(), Move(), Travel(), Record()]
