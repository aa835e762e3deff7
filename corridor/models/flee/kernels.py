"""Numba kernels of the Flee ruleset: one pass over the agent arrays per rule.

Flee updates agents one after another and route choice reads live camp occupancy, so the
kernels walk agents in creation order (serial, like Flee) and keep place counts current.
Draws are counter-based: ``draw(key, agent_id * SUBSTEPS + k)`` where k numbers the agent's
decisions within one day (same-day continuation gives one agent several decisions).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from corridor.engine.rng import draw

SUBSTEPS = 64  # bound on one agent's decisions per day (Flee would recurse without bound)


# The stepping kernels take grouped arguments, read by name: the agent columns (phases.FleeAgents)
# and the NamedTuples below, so no array can be passed in another's place.


class Places(NamedTuple):
    """Today's places and links as the move and travel rules read them."""

    chance: np.ndarray  # today's move chance per place
    town: np.ndarray
    camp: np.ndarray
    capacity: np.ndarray  # scaled camp capacity; < 1 = no limit
    occupants: np.ndarray  # live agents at each place, kept current as agents move
    offsets: np.ndarray  # a place's links out are link_ids[offsets[p] : offsets[p + 1]]
    link_ids: np.ndarray
    link_src: np.ndarray
    link_dst: np.ndarray
    link_open: np.ndarray
    link_km: np.ndarray
    link_speed: np.ndarray  # km/day
    link_walk: np.ndarray  # chance of walking the link instead


class Candidates(NamedTuple):
    """The candidate routes (routes.RouteTable) and today's weights (``daily_weights``)."""

    nodes: np.ndarray  # (route, position) place
    length: np.ndarray  # places on each route
    offsets: np.ndarray  # a place's candidates are offsets[p] : offsets[p + 1]
    route: np.ndarray  # route id of each candidate
    end: np.ndarray  # last place of each candidate
    weights: np.ndarray  # (candidate, 2): today's weight and its running sum per place


class RouteParams(NamedTuple):
    weight_power: float
    capacity_buffer: float
    pruning_threshold: float
    uniform: float  # 1.0 when every candidate is equally likely (awareness level 0)


class TravelParams(NamedTuple):
    max_move_speed: float
    max_walk_speed: float
    start_on_foot: bool
    avoid_short_stints: bool


class Keys(NamedTuple):
    """Today's stream keys of the decisions travel makes."""

    move: np.uint64
    route: np.uint64
    walk: np.uint64


# NRT_FREE: the kernels that step agents allocate nothing, so they are compiled with
# ``_nrt=False``. With numba's runtime on, every inlined helper taking an array adds atomic
# reference-count updates on branchy paths that its pruning pass cannot remove (numba issue
# #2350); on mali2012 they were two thirds of the time of a step out.


@njit(cache=True, inline="always")
def cap_multiplier(place, capacity, count, buffer):
    """Flee's getCapMultiplier: 1 below buffer*cap, 0 at cap, linear between; cap < 1 = no limit."""
    cap = capacity[place]
    if cap < 1.0:
        return 1.0
    n = count[place]
    if n <= buffer * cap:
        return 1.0
    if n >= cap:
        return 0.0
    return 1.0 - (n - buffer * cap) / ((1.0 - buffer) * cap)


@njit(cache=True, inline="always")
def choose_route(place, u, cand_off, cand_route, cand_end, cand_weights, capacity, count, params):
    """Route id drawn from ``place``'s candidates by Flee's weights (uniform if all zero).
    ``cand_weights[:, 0]`` is today's weight before the live capacity factor, ``[:, 1]`` its
    running sum per place (see ``daily_weights``): while no candidate's end is in its capacity
    buffer, the factor is 1 everywhere and the running sums give the same draw at less cost."""
    weight_power, buffer, pruning, uniform = params
    a, b = cand_off[place], cand_off[place + 1]
    if a == b:
        return -1
    if uniform == 0.0 and pruning <= 1.001 and not _near_capacity(a, b, cand_end, capacity, count, buffer):
        total = cand_weights[b - 1, 1]
        if total > 0.0:
            target = u * total
            last = -1
            for c in range(a, b):
                if cand_weights[c, 0] <= 0.0:
                    continue
                last = c
                if target < cand_weights[c, 1]:
                    return cand_route[c]
            return cand_route[last]
    elif uniform == 0.0:
        top = 0.0
        total = 0.0
        for c in range(a, b):
            w = _weight(c, cand_end, cand_weights, capacity, count, weight_power, buffer)
            top = max(top, w)
            total += w
        floor = top / pruning if pruning > 1.001 else 0.0
        if pruning > 1.001:
            total = 0.0
            for c in range(a, b):
                w = _weight(c, cand_end, cand_weights, capacity, count, weight_power, buffer)
                if w >= floor:
                    total += w
        if total > 0.0:
            target = u * total
            acc = 0.0
            last = -1
            for c in range(a, b):
                w = _weight(c, cand_end, cand_weights, capacity, count, weight_power, buffer)
                if w < floor or w <= 0.0:
                    continue
                acc += w
                last = c
                if target < acc:
                    return cand_route[c]
            return cand_route[last]
    return cand_route[a + min(int(u * (b - a)), b - a - 1)]


@njit(cache=True, inline="always")
def _near_capacity(a, b, cand_end, capacity, count, buffer):
    """Whether any candidate's end camp is past buffer x capacity (its factor below 1)."""
    for c in range(a, b):
        cap = capacity[cand_end[c]]
        if cap >= 1.0 and count[cand_end[c]] > buffer * cap:
            return True
    return False


def daily_weights(cand_off, cand_end, cand_km, score, softening, distance_power, weight_softening, weight_power):
    """Flee's route weights before the capacity factor, and their running sums per place: fixed
    for a day (scores change daily, occupancy live), so computed once a day, not at every choice."""
    base = (weight_softening + score[cand_end]) / (softening + cand_km) ** distance_power
    return _with_running_sums(cand_off, base, weight_power)


@njit(cache=True)
def _with_running_sums(cand_off, base, weight_power):
    """Column 1 adds the powered weights in candidate order, as choose_route's loop would."""
    out = np.empty((base.shape[0], 2))
    for place in range(cand_off.shape[0] - 1):
        acc = 0.0
        for c in range(cand_off[place], cand_off[place + 1]):
            w = base[c] ** weight_power if weight_power != 1.0 else base[c]
            acc += w
            out[c, 0] = base[c]
            out[c, 1] = acc
    return out


@njit(cache=True, inline="always")
def _weight(c, cand_end, cand_weights, capacity, count, weight_power, buffer):
    w = cand_weights[c, 0]
    w *= cap_multiplier(cand_end[c], capacity, count, buffer)
    return w**weight_power if weight_power != 1.0 else w


@njit(cache=True, inline="always")
def _moves(i, sub, force, route_moves, key_move, agents, places):
    """Person.evolve's draw: move chance is 1 with a forced town move, and with a planned
    route when ``route_moves`` (rules.RuleSwitches.route_forces_move)."""
    here = agents.loc[i]
    if (route_moves and agents.route[i] >= 0) or (force and places.town[here]):
        return True
    return draw(key_move, agents.aid[i] * SUBSTEPS + sub) < places.chance[here]


@njit(cache=True, inline="always")
def _step_out(i, sub, key_route, agents, places, candidates, params):
    """Person.evolve for a mover: plan a route if none, step onto the next open link."""
    loc, route, route_pos = agents.loc, agents.route, agents.route_pos
    capacity, count, link_dst, link_open = places.capacity, places.occupants, places.link_dst, places.link_open
    r_nodes, r_len = candidates.nodes, candidates.length
    place = loc[i]
    r = route[i]
    if r < 0:
        r = choose_route(
            place,
            draw(key_route, agents.aid[i] * SUBSTEPS + sub),
            candidates.offsets,
            candidates.route,
            candidates.end,
            candidates.weights,
            capacity,
            count,
            params,
        )
        if r < 0:
            return
        route[i] = r
        route_pos[i] = 0
    target = r_nodes[r, route_pos[i]]
    link = -1
    for slot in range(places.offsets[place], places.offsets[place + 1]):
        candidate = places.link_ids[slot]
        if link_open[candidate] and link_dst[candidate] == target:
            link = candidate
            break
    final = r_nodes[r, r_len[r] - 1]
    if link < 0 or (places.camp[final] and cap_multiplier(final, capacity, count, params.capacity_buffer) < 0.5):
        route[i] = -1
        return
    route_pos[i] += 1
    if route_pos[i] >= r_len[r]:
        route[i] = -1
    count[place] -= 1
    loc[i] = link
    agents.travelling[i] = True
    agents.dist_on_link[i] = 0.0


@njit(cache=True)
def leaving(key_move, agents, places, route_moves):
    """Agents at a place whose first move draw of the day says leave (in creation order). A
    decision reads only the agent's own state, so all are drawn before anyone steps out."""
    out = np.empty(agents.aid.shape[0], np.bool_)
    for i in range(agents.aid.shape[0]):
        out[i] = not agents.travelling[i] and _moves(i, 0, False, route_moves, key_move, agents, places)
    return np.flatnonzero(out)


@njit(cache=True, _nrt=False)  # type: ignore[call-overload]  # numba option without a stub
def step_out_agents(movers, key_route, agents, places, candidates, params):
    """The agents ``leaving`` picked step out, in creation order (route choice reads live camp
    counts). Compiled without numba's reference counting (NRT_FREE, top of the module)."""
    for i in movers:
        _step_out(i, 0, key_route, agents, places, candidates, params)


@njit(cache=True, _nrt=False)  # type: ignore[call-overload]  # numba option without a stub
def travel_agents(on_links, keys, agents, places, candidates, params, route_moves, travel):
    """Person.finish_travel for the agents on a link at the start of travel (``on_links``, in
    creation order: only an agent's own steps put it on a link), with same-day continuation,
    then every agent's end-of-day recent-travel update. Without reference counting (NRT_FREE)."""
    max_speed, walk_speed, start_on_foot, avoid_short_stints = travel
    loc, travelling, dist_on_link, moved = agents.loc, agents.travelling, agents.dist_on_link, agents.moved
    recent, places_travelled = agents.recent, agents.places_travelled
    link_km, link_speed, link_walk, count = places.link_km, places.link_speed, places.link_walk, places.occupants
    for i in on_links:
        sub = 0
        while travelling[i]:
            link = loc[i]
            speed = link_speed[link]
            if places_travelled[i] == 1 and start_on_foot:
                speed = walk_speed
            if link_walk[link] > 0.0 and draw(keys.walk, agents.aid[i] * SUBSTEPS + sub) < link_walk[link]:
                speed = walk_speed
            dist_on_link[i] += speed
            moved[i] += speed
            if dist_on_link[i] <= link_km[link]:
                break
            places_travelled[i] += 1
            moved[i] += link_km[link] - dist_on_link[i]
            travelling[i] = False
            dist_on_link[i] = 0.0
            if not places.link_open[link]:
                loc[i] = places.link_src[link]
                count[loc[i]] += 1
                break
            loc[i] = places.link_dst[link]
            count[loc[i]] += 1
            sub += 1
            if moved[i] >= speed or sub >= SUBSTEPS:
                break
            force = avoid_short_stints and (recent[i] + moved[i] / max_speed) / 2.0 < 0.5
            if _moves(i, sub, force, route_moves, keys.move, agents, places):
                _step_out(i, sub, keys.route, agents, places, candidates, params)
    for i in range(agents.aid.shape[0]):
        recent[i] = (recent[i] + moved[i] / max_speed) / 2.0
        moved[i] = 0.0


@njit(cache=True)
def spawn_places(key, first_id, n, cumulative):
    """Places of ``n`` new agents (ids first_id..) drawn in proportion to spawn weights."""
    out = np.empty(n, dtype=np.int64)
    total = cumulative[-1]
    for k in range(n):
        u = draw(key, first_id + k) * total
        out[k] = min(np.searchsorted(cumulative, u, side="right"), cumulative.shape[0] - 1)
    return out
