"""Candidate routes per place, as Flee's selectRoute enumerates them.

With awareness level L, every simple path of 1..L non-marker hops over open links is a
candidate, scored by its endpoint and total km (markers are passed through without counting).
The set depends only on which links are open, so it is rebuilt when closures change rather
than per agent; the per-agent part (scores, live camp occupancy) stays in the kernel.
Routes get ids in an append-only registry so agents keep valid route ids across rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from corridor.models.flee.world import FleeWorld


@dataclass
class RouteTable:
    """Route registry (``nodes[r, :length[r]]`` = places visited) + per-place candidates."""

    nodes: np.ndarray = field(default_factory=lambda: np.full((0, 1), -1, np.int32))
    length: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    route: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # candidate route id
    end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # candidate endpoint
    km: np.ndarray = field(default_factory=lambda: np.zeros(0))  # candidate path length
    _ids: dict[tuple[int, ...], int] = field(default_factory=dict)

    def rebuild(self, world: FleeWorld, awareness: int, awareness0_moves: bool) -> None:
        """Recompute every place's candidates for the currently open links (at awareness 0:
        every open link, or none where the release's awareness 0 never moves anyone)."""
        paths: list[list[tuple[tuple[int, ...], float]]] = []
        for place in range(world.n_places):
            found: list[tuple[tuple[int, ...], float]] = []
            if awareness == 0:
                found = (
                    [((int(world.link_dst[link]),), float(world.link_km[link])) for link in _open_links(world, place)]
                    if awareness0_moves
                    else []
                )
            else:
                _walk(world, place, (), 0.0, 0, awareness, {place}, found)
            paths.append(found)
        self._register([p for found in paths for p, _ in found])
        counts = [len(found) for found in paths]
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.route = np.array([self._ids[p] for found in paths for p, _ in found], np.int32)
        self.end = np.array([p[-1] for found in paths for p, _ in found], np.int64)
        self.km = np.array([k for found in paths for _, k in found], np.float64)

    def _register(self, paths: list[tuple[int, ...]]) -> None:
        new = [p for p in dict.fromkeys(paths) if p not in self._ids]
        if not new:
            return
        width = max(self.nodes.shape[1], max(len(p) for p in new))
        nodes = np.full((len(self._ids) + len(new), width), -1, np.int32)
        nodes[: self.nodes.shape[0], : self.nodes.shape[1]] = self.nodes
        for p in new:
            nodes[len(self._ids), : len(p)] = p
            self._ids[p] = len(self._ids)
        self.nodes = nodes
        self.length = np.array([len(p) for p in self._ids], np.int32)


def _open_links(world: FleeWorld, place: int):
    g = world.graph
    for slot in range(g.offsets[place], g.offsets[place + 1]):
        link = g.link_ids[slot]
        if world.link_open[link]:
            yield link


def _walk(world, place, path, km, depth, awareness, visited, found) -> None:
    """Depth-first enumeration of Flee's candidate routes (markers add no candidate or depth)."""
    for link in _open_links(world, place):
        end = int(world.link_dst[link])
        if end in visited:
            continue
        route, total = (*path, end), km + float(world.link_km[link])
        marker = bool(world.marker[end])
        if not marker:
            found.append((route, total))
        next_depth = depth if marker else depth + 1
        if awareness > next_depth:
            _walk(world, end, route, total, next_depth, awareness, visited | {end}, found)
