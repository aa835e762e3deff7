"""Full default run of the built-in US–Mexico scenario at several scales.

Prints wall time, agent-steps per second (agents alive summed over simulated days) and peak
memory for each scale, plus the time per phase and the route choice tables built (how many, in how
many seconds). Each scale runs in a fresh process so peak RSS belongs to that run alone; numba
kernels are compiled (or loaded from cache) by a warm-up run first and not timed. The timed run has
tracemalloc off (it slows every numpy allocation, so it tripled the time at scale 0.02); with
``--numpy-peak`` a second run of each scale measures the peak of numpy's arrays under tracemalloc.

With ``--reference CHECKOUT`` (another copy of the repository, e.g. ``git worktree add --detach REF main~3``)
each scale runs ``--repeat`` times in this checkout and in the reference, alternating, and a last line per scale
gives the ratio of the best wall times and whether both counted the same encounters.

    python benchmarks/full_run.py                 # scales 1 and 0.1
    python benchmarks/full_run.py --scales 0.1 0.02 --numpy-peak
    python benchmarks/full_run.py --scales 1 0.1 --reference /tmp/ref --repeat 2
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def measure(scale: float, numpy_peak: bool) -> dict:
    from corridor.resources import builtin_scenario
    from corridor.runner import assemble

    scenario = builtin_scenario()
    assemble(scenario, scale=0.001).simulate()  # warm-up: compile or load the kernels
    start = time.perf_counter()
    assembled = assemble(scenario, scale=scale)
    ds, stats = assembled.simulate()
    wall = time.perf_counter() - start
    route_choice = next(phase for phase in assembled.run.phases if phase.name == "route_choice")
    encounters = float(ds.encounters.sum())
    peak = math.nan
    if numpy_peak:
        tracemalloc.start()
        assemble(scenario, scale=scale).simulate()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {
        "scale": scale,
        "wall_s": wall,
        "days": len(ds.time),
        "agent_steps": stats["agent_steps"],
        "steps_per_s": stats["agent_steps"] / wall,
        "tracemalloc_peak_mib": peak,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "encounters": encounters,
        "phase_seconds": stats["phase_seconds"],
        "route_tables": route_choice.table_builds,
        "route_table_s": route_choice.table_seconds,
    }


def bytes_per_agent() -> int:
    """What one agent's columns take (corridor/models/us_mexico/simulation.py AGENT_SCHEMA)."""
    import numpy as np

    from corridor.models.us_mexico.simulation import AGENT_SCHEMA

    return sum(np.dtype(dtype).itemsize for dtype in AGENT_SCHEMA.values())


def measured_in(checkout: Path, scale: float, numpy_peak: bool) -> dict:
    """One scale measured by ``checkout``'s own copy of this script, in a fresh process."""
    script = checkout / "benchmarks" / Path(__file__).name
    command = [sys.executable, str(script), "--one", str(scale)] + (["--numpy-peak"] if numpy_peak else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=checkout)
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_row(label: str, row: dict) -> None:
    print(
        f"{label:>10} {row['scale']:>6g} {row['wall_s']:>8.1f} {row['wall_s'] / row['days'] * 1e3:>7.2f} "
        f"{row['agent_steps']:>13,} {row['steps_per_s'] / 1e6:>10.2f} "
        f"{row['tracemalloc_peak_mib']:>15.0f} {row['maxrss_mib']:>12.0f} {row['encounters']:>12,.0f}"
    )
    print("       seconds per phase: " + ", ".join(f"{k} {v:.1f}" for k, v in row.get("phase_seconds", {}).items()))
    if "route_tables" in row:  # an older reference checkout may not count them
        per_build = row["route_table_s"] / max(row["route_tables"], 1)
        print(
            f"       route choice tables: {row['route_tables']} built, {row['route_table_s']:.2f} s "
            f"({per_build * 1e3:.2f} ms each)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 0.1])
    parser.add_argument("--numpy-peak", action="store_true", help="also measure numpy's peak (a second run)")
    parser.add_argument("--reference", type=Path, help="another checkout to measure alternately, for a ratio")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each scale in each checkout")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    if args.one is not None:
        print(json.dumps(measure(args.one, args.numpy_peak)))
        return
    checkouts = {"this": REPO} | ({"reference": args.reference.resolve()} if args.reference else {})
    print(f"agent columns: {bytes_per_agent()} bytes an agent; load average {os.getloadavg()[0]:.2f}")
    print(
        f"{'checkout':>10} {'scale':>6} {'wall s':>8} {'ms/day':>7} {'agent-steps':>13} {'M steps/s':>10} "
        f"{'numpy peak MiB':>15} {'max RSS MiB':>12} {'encounters':>12}"
    )
    for scale in args.scales:
        rows: dict[str, list[dict]] = {label: [] for label in checkouts}
        for _ in range(args.repeat):
            for label, checkout in checkouts.items():
                rows[label].append(measured_in(checkout, scale, args.numpy_peak))
                print_row(label, rows[label][-1])
        if args.reference:
            best = {label: min(row["wall_s"] for row in runs) for label, runs in rows.items()}
            same = {row["encounters"] for runs in rows.values() for row in runs} == {rows["this"][0]["encounters"]}
            print(
                f"       scale {scale:g}: reference/this best wall {best['reference'] / best['this']:.2f} "
                f"({best['reference']:.1f} s / {best['this']:.1f} s); "
                f"encounters {'identical' if same else 'DIFFER'}; load average {os.getloadavg()[0]:.2f}"
            )


if __name__ == "__main__":
    main()
