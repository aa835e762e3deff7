"""Counter-based random numbers: one independent stream per decision.

A draw is a hash of (run seed, decision id, day, agent id), computed inside the kernels.
Because nothing is consumed from a shared generator:

* adding or reordering a phase never changes another phase's draws;
* an agent gets the same draw for the same decision in two scenarios (common random
  numbers), so scenario differences come out sharp;
* results do not depend on the number of threads or workers.

The mixer is SplitMix64's finaliser (Steele, Lea & Flood 2014), applied to each key in turn.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numba import njit, uint64

_GOLDEN = uint64(0x9E3779B97F4A7C15)
_M1 = uint64(0xBF58476D1CE4E5B9)
_M2 = uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(inline="always", cache=True)
def _mix(z):
    z = (z ^ (z >> uint64(30))) * _M1
    z = (z ^ (z >> uint64(27))) * _M2
    return z ^ (z >> uint64(31))


@njit(inline="always", cache=True)
def stream(seed, decision, day):
    """Key of one decision's stream on one day; compute once per kernel call, outside the loop."""
    z = _mix(uint64(seed) + _GOLDEN)
    z = _mix(z ^ (uint64(decision) * _GOLDEN))
    return _mix(z ^ (uint64(day) + _GOLDEN))


@njit(inline="always", cache=True)
def draw(key, agent):
    """Uniform draw in [0, 1) for one agent from a stream key (SplitMix64 indexing)."""
    z = _mix(uint64(key) + uint64(agent) * _GOLDEN)
    return float(z >> uint64(11)) * _TO_UNIT


@njit(inline="always", cache=True)
def uniform(seed, decision, day, agent):
    """Uniform draw in [0, 1) for one agent's one decision on one day."""
    return draw(stream(seed, decision, day), agent)


@njit(cache=True)
def uniforms(seed, decision, day, agents):
    """Vector of draws for many agents (used by tests and by numpy-side phases)."""
    out = np.empty(agents.shape[0], dtype=np.float64)
    for i in range(agents.shape[0]):
        out[i] = uniform(seed, decision, day, agents[i])
    return out


def decision_id(name: str) -> int:
    """Stable 63-bit id of a named decision: the name, not its position, keys the stream."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


@njit(cache=True)
def poisson(seed, decision, day, key, lam):
    """Poisson draw by inversion from one counter-based stream (lam below ~700)."""
    if lam <= 0.0:
        return 0
    if lam > 500.0:
        # normal approximation keeps the loop short for very large means
        u1 = max(uniform(seed, decision, day, key), 1e-300)
        u2 = uniform(seed, decision + 1, day, key)
        z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
        return max(0, round(lam + np.sqrt(lam) * z))
    u = uniform(seed, decision, day, key)
    p = np.exp(-lam)
    cdf = p
    k = 0
    while u > cdf and k < 10000:
        k += 1
        p *= lam / k
        cdf += p
    return k
