"""Engine throughput on a synthetic random walk, against a hand-written numba kernel.

Scenario: 100 places on a random graph (each place linked both ways to 3 random others, so
a few neighbours each, built with ``csr_from_edges``); every agent moves with probability 0.1
a day to a uniformly random out-neighbour; agents per place are counted every day into an
``(n_days, 100)`` array.

Cases (one row each in the printed table):

* ``engine``      AgentState + run_days + RandomWalkPhase (corridor/engine/random_walk.py): one
                  numba call per day, draws from rng.stream/draw keyed on the agent id column.
* ``hand``        the same work written the simplest fastest way: one numba call for all days,
                  no id column, one inline sequential SplitMix64 generator compared against an
                  integer threshold (the ratio's denominator).
* ``hand-nprand`` the same with numba's np.random (shown for reference only).
* ``engine-par``  (with ``--parallel``) the engine phase with a prange kernel; its counts must
                  equal ``engine``'s whatever NUMBA_NUM_THREADS is.

Wall time excludes JIT compilation (every kernel is warmed up on a tiny case first) and setup
(graph, initial places); it covers the day loop only. Peak memory is measured with tracemalloc,
which sees numpy's array allocations (numpy reports them to it): it is the peak of the arrays
the case allocated, setup included. ``cpu s`` is the process CPU time over the same span: well
under ``wall s`` for a single-thread case means the core was shared with other work. The process-wide
resource.getrusage ru_maxrss (which also counts the interpreter, numba and LLVM, and never goes down) is
printed at the end.

``digest`` is the first 12 hex digits of the sha256 of the counts array: compare it across runs
and NUMBA_NUM_THREADS settings to check determinism.

Run:  nice python benchmarks/engine_synthetic.py [--agents 1000000 10000000] [--days 100]
          [--repeat 1] [--parallel] [--seed 20240601] [--cases hand engine ...]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import time
import tracemalloc
from types import SimpleNamespace

import numba
import numpy as np
from numba import njit, uint64

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))  # run from a checkout

from corridor.engine.loop import run_days
from corridor.engine.network import CSRGraph, csr_from_edges
from corridor.engine.random_walk import RandomWalkPhase
from corridor.engine.state import AgentState

N_PLACES = 100
P_MOVE = 0.1
LINKS_PER_PLACE = 3


def make_graph(seed: int) -> CSRGraph:
    rng = np.random.default_rng(seed)
    sources, targets = [], []
    for p in range(N_PLACES):
        others = rng.choice(np.delete(np.arange(N_PLACES), p), LINKS_PER_PLACE, replace=False)
        for q in others:
            sources += [p, q]
            targets += [q, p]
    # the same undirected link may be drawn from both ends: keep each directed edge once
    edges = np.unique(np.stack([sources, targets], axis=1), axis=0)
    return csr_from_edges(N_PLACES, edges[:, 0], edges[:, 1])


def initial_places(n_agents: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).integers(0, N_PLACES, n_agents, dtype=np.int32)


# ---------------------------------------------------------------- engine


def run_engine(graph, start, n_days, seed, parallel=False):
    n = start.shape[0]
    agents = AgentState({"location": np.int32, "agent_id": np.int64}, capacity=n)
    agents.append(n, location=start)
    ids = agents.agent_id
    for lo in range(0, n, 1 << 20):  # in chunks, so that no n-long temporary inflates the peak
        ids[lo : lo + (1 << 20)] = np.arange(lo, min(n, lo + (1 << 20)), dtype=np.int64)
    sim = SimpleNamespace(agents=agents, counts=np.zeros((n_days, N_PLACES), np.int64))
    phases = [RandomWalkPhase(graph, P_MOVE, seed, parallel=parallel)]
    t0, c0 = time.perf_counter(), time.process_time()
    run_days(sim, phases, n_days)
    return time.perf_counter() - t0, time.process_time() - c0, sim.counts


# ---------------------------------------------------------------- hand-written


_GOLDEN = uint64(0x9E3779B97F4A7C15)


@njit(cache=True)
def hand_kernel(location, offsets, targets, p_move, seed, counts):
    # one sequential SplitMix64 generator (state += golden; mix) and an integer threshold: the
    # fastest of the simple variants tried (xorshift64* was ~20% slower, np.random ~3x slower)
    s = uint64(seed)
    threshold = uint64(p_move * 18446744073709551616.0)  # p * 2**64
    for day in range(counts.shape[0]):
        for i in range(location.shape[0]):
            s += _GOLDEN
            z = (s ^ (s >> uint64(30))) * uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> uint64(27))) * uint64(0x94D049BB133111EB)
            r = z ^ (z >> uint64(31))
            here = location[i]
            if r < threshold:
                lo = offsets[here]
                degree = offsets[here + 1] - lo
                if degree > 0:
                    # r is uniform below the threshold: reuse its top bits for the pick
                    pick = (r >> uint64(11)) * uint64(degree) // ((threshold >> uint64(11)) + uint64(1))
                    here = targets[lo + int(pick)]
                    location[i] = here
            counts[day, here] += 1


@njit(cache=True)
def hand_kernel_nprandom(location, offsets, targets, p_move, seed, counts):
    np.random.seed(seed)
    for day in range(counts.shape[0]):
        for i in range(location.shape[0]):
            here = location[i]
            if np.random.random() < p_move:
                lo = offsets[here]
                degree = offsets[here + 1] - lo
                if degree > 0:
                    here = targets[lo + np.random.randint(0, degree)]
                    location[i] = here
            counts[day, here] += 1


def run_hand(kernel, graph, start, n_days, seed):
    location = start.copy()
    counts = np.zeros((n_days, N_PLACES), np.int64)
    t0, c0 = time.perf_counter(), time.process_time()
    kernel(location, graph.offsets, graph.targets, P_MOVE, seed, counts)
    return time.perf_counter() - t0, time.process_time() - c0, counts


# ---------------------------------------------------------------- driver

CASES = {
    "engine": lambda g, s, d, seed: run_engine(g, s, d, seed),
    "engine-par": lambda g, s, d, seed: run_engine(g, s, d, seed, parallel=True),
    "hand": lambda g, s, d, seed: run_hand(hand_kernel, g, s, d, seed),
    "hand-nprand": lambda g, s, d, seed: run_hand(hand_kernel_nprandom, g, s, d, seed),
}


def measure(case, graph, n_agents, n_days, seed, repeat=1):
    best, best_cpu, digests = float("inf"), float("inf"), set()
    for _ in range(repeat):
        tracemalloc.start()
        start = initial_places(n_agents, seed)
        seconds, cpu, counts = CASES[case](graph, start, n_days, seed)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert (counts.sum(axis=1) == n_agents).all(), "agents lost or duplicated"
        digests.add(hashlib.sha256(np.ascontiguousarray(counts).tobytes()).hexdigest()[:12])
        best, best_cpu = min(best, seconds), min(best_cpu, cpu)
        del start, counts
    assert len(digests) == 1, f"{case}: repeats gave different counts"
    return best, best_cpu, peak / 2**20, digests.pop()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=1, help="time each case N times, keep the fastest")
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=["hand", "hand-nprand", "engine", "engine-par"],
        help="run only these cases (hand is needed for the ratio)",
    )
    parser.add_argument("--parallel", action="store_true", help="also time the prange engine kernel")
    args = parser.parse_args(argv)

    cases = ["hand", "hand-nprand", "engine"] + (["engine-par"] if args.parallel else [])
    if args.cases:
        cases = [case for case in CASES if case in args.cases]
        cases.sort(key=lambda case: not case.startswith("hand"))  # hand first: the denominator
    graph = make_graph(args.seed)
    for case in cases:  # warm-up: compile (or load from cache) every kernel on a tiny case
        CASES[case](graph, initial_places(1000, args.seed), 2, args.seed)

    print(
        f"numba {numba.__version__}, NUMBA_NUM_THREADS={numba.config.NUMBA_NUM_THREADS}, "
        f"places={graph.n_places}, links={graph.targets.shape[0]}, p_move={P_MOVE}, "
        f"seed={args.seed}, best of {args.repeat}"
    )
    header = (
        f"{'case':<12}{'agents':>11}{'days':>6}{'wall s':>9}{'cpu s':>8}{'M agent-steps/s':>17}"
        f"{'peak MiB':>10}{'engine/hand':>13}  digest"
    )
    print(header)
    print("-" * len(header))
    for n_agents in args.agents:
        rates = {}
        for case in cases:
            seconds, cpu, peak, digest = measure(case, graph, n_agents, args.days, args.seed, args.repeat)
            rates[case] = n_agents * args.days / seconds
            ratio = f"{rates[case] / rates['hand']:.2f}" if case.startswith("engine") and "hand" in rates else ""
            print(
                f"{case:<12}{n_agents:>11}{args.days:>6}{seconds:>9.3f}{cpu:>8.3f}{rates[case] / 1e6:>17.1f}"
                f"{peak:>10.1f}{ratio:>13}  {digest}",
                flush=True,
            )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes share the cores)")
    print(f"peak MiB = tracemalloc peak of numpy allocations per case; process ru_maxrss = {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
