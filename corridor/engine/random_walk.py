"""A random-walk movement phase on a CSR graph: the engine's synthetic benchmark case.

Each day every agent moves with probability ``p_move`` to a uniformly random out-neighbour of
its place (agents on a place without out-links stay), then the agents per place are counted
into ``counts[day]``. Draws come from the counter-based streams of :mod:`corridor.engine.rng`,
keyed on each agent's id, so results do not depend on row order, compaction or thread count.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from corridor.engine.network import CSRGraph
from corridor.engine.rng import decision_id, draw, stream


@njit(cache=True)
def _walk_rows(location, agent_id, offsets, targets, p_move, k_move, k_dest, counts, start, stop):
    for i in range(start, stop):
        here = location[i]
        if draw(k_move, agent_id[i]) < p_move:
            lo = offsets[here]
            degree = offsets[here + 1] - lo
            if degree > 0:
                here = targets[lo + int(draw(k_dest, agent_id[i]) * degree)]
                location[i] = here
        counts[here] += 1


@njit(cache=True)
def random_walk_day(location, agent_id, offsets, targets, p_move, seed, dec_move, dec_dest, day, counts_today):
    """One day for all agents, in place; ``counts_today`` (one row per place) is added to."""
    k_move = stream(seed, dec_move, day)
    k_dest = stream(seed, dec_dest, day)
    _walk_rows(location, agent_id, offsets, targets, p_move, k_move, k_dest, counts_today, 0, location.shape[0])


@njit(cache=True, parallel=True)
def random_walk_day_parallel(location, agent_id, offsets, targets, p_move, seed, dec_move, dec_dest, day, counts_today):
    """Same result as :func:`random_walk_day` for any thread count (integer per-chunk counts)."""
    k_move = stream(seed, dec_move, day)
    k_dest = stream(seed, dec_dest, day)
    n = location.shape[0]
    n_chunks = 64
    size = (n + n_chunks - 1) // n_chunks
    partial = np.zeros((n_chunks, counts_today.shape[0]), dtype=counts_today.dtype)
    for c in prange(n_chunks):
        _walk_rows(
            location, agent_id, offsets, targets, p_move, k_move, k_dest, partial[c], c * size, min(n, (c + 1) * size)
        )
    for c in range(n_chunks):
        for p in range(counts_today.shape[0]):
            counts_today[p] += partial[c, p]


class RandomWalkPhase:
    """Engine phase: ``sim.agents`` has columns ``location`` and ``agent_id``; ``sim.counts`` is
    an ``(n_days, n_places)`` integer array filled row ``day`` by row."""

    name = "random_walk"

    def __init__(self, graph: CSRGraph, p_move: float, seed: int, parallel: bool = False):
        self.offsets = graph.offsets
        self.targets = graph.targets
        self.p_move = float(p_move)
        self.seed = int(seed)
        self.dec_move = decision_id("random_walk.move")
        self.dec_dest = decision_id("random_walk.destination")
        self.kernel = random_walk_day_parallel if parallel else random_walk_day

    def apply(self, sim, day: int) -> None:
        agents = sim.agents
        self.kernel(
            agents.location,
            agents.agent_id,
            self.offsets,
            self.targets,
            self.p_move,
            self.seed,
            self.dec_move,
            self.dec_dest,
            day,
            sim.counts[day],
        )
