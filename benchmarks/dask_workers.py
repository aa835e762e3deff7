"""What running in a Dask worker costs a simulation: the built-in scenario's day loop timed in this
process and in the workers of a local cluster, with distributed's statistical profiler on (its
default: it walks the running task's stack every 10 ms, taking the GIL from it) and off (what
``corridor.fit.backend.dask_client`` starts). Each round runs one simulation here, then one per
worker at once on a fresh cluster of each kind, so a change in the machine's load touches the cases
alike. The
day loop's seconds are measured inside the run (``simulate_timed``), the round's from submit to
gather; the ratio is each case's median over the in-process median.

    python benchmarks/dask_workers.py                   # scale 0.02, 2 workers, 3 rounds
    python benchmarks/dask_workers.py --rounds 5 --scale 0.1
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import dask
from distributed import Client, LocalCluster

from corridor.resources import builtin_scenario
from corridor.runner import simulate_timed
from corridor.scenario.load import load_scenario


def loop_seconds(scenario, seed: int, scale: float) -> float:
    """The day loop's seconds of one run (imports, build and results left out)."""
    return simulate_timed(scenario, seed=seed, scale=scale)[1]["wall_seconds"]


def worker_round(profiler: bool, scenario, seeds: list[int], scale: float) -> tuple[list[float], float]:
    """One simulation per worker at once on a new local cluster; each day loop's seconds and the
    round's (a cluster alive during the in-process runs would slow them: its client's threads take
    the GIL too)."""
    with dask.config.set({"distributed.worker.profile.enabled": profiler}):
        cluster = LocalCluster(n_workers=len(seeds), threads_per_worker=1, dashboard_address=":0")
    with cluster, Client(cluster) as client:
        client.run(loop_seconds, scenario, 0, 0.002)  # each worker loads numba's cache, not timed
        start = time.perf_counter()
        futures = [client.submit(loop_seconds, scenario, seed, scale, pure=False) for seed in seeds]
        loops = client.gather(futures)
        return loops, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scenario = load_scenario(builtin_scenario())
    loop_seconds(scenario, 0, 0.002)  # numba's cache loaded here, not timed
    names = {True: "Dask worker, profiler on", False: "Dask worker, profiler off"}
    loops: dict[str, list[float]] = {"in this process": [], **{name: [] for name in names.values()}}
    rounds: dict[str, list[float]] = {name: [] for name in names.values()}
    for number in range(args.rounds):
        seeds = [1 + number * args.workers + k for k in range(args.workers)]
        loops["in this process"].append(loop_seconds(scenario, seeds[0], args.scale))
        for profiler, name in names.items():
            seconds, round_seconds = worker_round(profiler, scenario, seeds, args.scale)
            loops[name] += seconds
            rounds[name].append(round_seconds)
    reference = statistics.median(loops["in this process"])
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"built-in scenario, scale {args.scale}, {args.workers} workers, {args.rounds} rounds; load average {load}")
    print(f"{'case':<32} {'day loop s (median)':>20} {'ratio':>6} {'round s (median)':>17}")
    for name, values in loops.items():
        round_text = f"{statistics.median(rounds[name]):17.2f}" if name in rounds else f"{'':>17}"
        print(f"{name:<32} {statistics.median(values):20.2f} {statistics.median(values) / reference:6.2f} {round_text}")


if __name__ == "__main__":
    main()
