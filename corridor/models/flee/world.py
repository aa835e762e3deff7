"""The Flee graph as arrays: per-place state that phases change over time, and directed links.

Flee keeps Location/Link objects; kernels need flat arrays. Place state follows
flee.Location.__init__ and InputGeography (conflict rows with a conflict_date > 0 start as
towns; non-camps with movechance < 0.005 become camps). Each routes.csv row gives one link per
direction, twice when forced_redirection == 1 (Flee links such rows up twice).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corridor.engine.network import CSRGraph, csr_from_edges
from corridor.models.flee.model import FleeInput, SimSettings


@dataclass
class FleeWorld:
    names: list[str]
    country: np.ndarray  # int64 country index
    foreign: np.ndarray  # bool
    marker: np.ndarray  # bool
    idp: np.ndarray  # bool: an idpcamp type (its camp movechance differs)
    camp_list: np.ndarray  # int64: places that are camps at start = the validated camps
    pop: np.ndarray  # float64 spawn population (non-camps)
    capacity: np.ndarray  # float64 raw camp capacity, -1 = none
    camp: np.ndarray  # bool, changes with camp closures
    town: np.ndarray  # bool, changes with conflict onset/end and camp closures
    movechance: np.ndarray  # float64, changes with the two above
    conflict: np.ndarray  # float64 intensity, -1 = none
    time_of_conflict: np.ndarray  # int64, -1 = from the constructor
    link_src: np.ndarray
    link_dst: np.ndarray
    link_km: np.ndarray
    link_speed: np.ndarray  # km/day (link attribute or max_move_speed)
    link_walk: np.ndarray  # probability to walk on the link
    link_open: np.ndarray  # bool, changes with closures
    graph: CSRGraph  # out-links of each place

    @property
    def n_places(self) -> int:
        return len(self.names)

    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    def camp_movechance(self, s: SimSettings) -> np.ndarray:
        return np.where(self.idp, s.idpcamp_movechance, s.camp_movechance)


def build_world(flee: FleeInput) -> FleeWorld:
    """Places and links in their day-0 state."""
    s = flee.settings
    n = len(flee.locations)
    countries = {c: i for i, c in enumerate(dict.fromkeys(loc.country for loc in flee.locations))}
    home = flee.locations[0].country
    names = [loc.name for loc in flee.locations]
    src, dst, km, speed, walk = _link_columns(flee, {name: i for i, name in enumerate(names)})
    w = FleeWorld(
        names=names,
        country=np.array([countries[loc.country] for loc in flee.locations], dtype=np.int64),
        foreign=np.array([loc.country != home for loc in flee.locations]),
        marker=np.zeros(n, bool),
        idp=np.zeros(n, bool),
        camp_list=np.zeros(0, np.int64),
        pop=np.zeros(n),
        capacity=np.full(n, -1.0),
        camp=np.zeros(n, bool),
        town=np.zeros(n, bool),
        movechance=np.zeros(n),
        conflict=np.full(n, -1.0),
        time_of_conflict=np.full(n, -1, dtype=np.int64),
        link_src=src,
        link_dst=dst,
        link_km=km,
        link_speed=speed,
        link_walk=walk,
        link_open=np.ones(len(src), dtype=bool),
        graph=csr_from_edges(n, src, dst),
    )
    for i, loc in enumerate(flee.locations):
        kind = loc.location_type.lower()
        if "conflict" in kind and loc.conflict_date > 0:
            kind = "town"
        size = loc.population // s.hasten
        flood = False
        if "camp" in kind:
            w.camp[i], w.idp[i], w.capacity[i] = True, "idp" in kind, size
            w.movechance[i] = s.idpcamp_movechance if w.idp[i] else s.camp_movechance
        else:
            w.pop[i] = size
            if "conflict" in kind:
                w.movechance[i] = s.conflict_movechance
                w.conflict[i] = float(loc.attributes.get("conflict_intensity") or 1.0)
            elif "forward" in kind or "marker" in kind:
                w.movechance[i], w.marker[i] = 1.0, "marker" in kind
            else:
                flood = "flood_zone" in kind
                w.town[i] = not flood
                w.movechance[i] = s.default_movechance
        if w.movechance[i] < 0.005 and not w.camp[i] and not flood:
            w.camp[i], w.town[i] = True, False
    w.camp_list = np.flatnonzero(w.camp).astype(np.int64)
    return w


def _link_columns(flee: FleeInput, index: dict[str, int]) -> tuple[np.ndarray, ...]:
    """Source, destination, km, speed (km/day) and walk probability of every directed link."""
    src: list[int] = []
    dst: list[int] = []
    km: list[float] = []
    speed: list[float] = []
    walk: list[float] = []
    for route in flee.routes:
        a, b = index[route.name1], index[route.name2]
        copies = 2 if route.forced_redirection == 1 else 1
        link_speed = float(route.attributes.get("max_move_speed") or flee.settings.max_move_speed)
        link_walk = float(route.attributes.get("walk_probability") or 0.0)
        for _ in range(copies):
            for u, v in ((a, b), (b, a)):
                src.append(u)
                dst.append(v)
                km.append(route.distance)
                speed.append(link_speed)
                walk.append(link_walk)
    return (
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(km, dtype=np.float64),
        np.array(speed, dtype=np.float64),
        np.array(walk, dtype=np.float64),
    )
