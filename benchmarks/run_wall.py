"""Wall time of ``corridor run`` split into its stages, against a reference checkout.

The simulated days are only part of what a user waits for: the command also imports its libraries,
loads the scenario and builds the world, turns the counters into a Dataset, writes results.nc and
prints and draws the report. Each run here is the real command (``corridor run --scale S --out
TMP``) in a fresh process, with timers wrapped around the functions it calls:

    import     ``import corridor.cli``
    setup      loading the scenario and building the run (``runner.assemble``)
    days       the day loop (``Run.execute``)
    results    counters to the Dataset (the rest of ``Assembled.simulate``)
    save       writing results.nc (``results.dataset.save``)
    tables     the terminal tables (the ruleset's report less the HTML page)
    html       the HTML report: figures, map and tables (``report.write_report``)
    other      the rest of the process's wall time (python's start-up, printing, exit)
    wall, cpu  the process's wall time, and the CPU seconds of it and its children (the report's
               figure workers): on a shared machine cpu well below wall means it waited for a core

With ``--reference DIR`` (a checkout of the same project, e.g. main) the same command runs from
there, alternating with this checkout, and the ratio reference/this of each column's best (least)
value over the repeats is printed. Run the command once beforehand from each checkout so that
numba's cache is filled: compiling is not what this measures.

    python benchmarks/run_wall.py --reference /work/main              # scale 0.1, 2 repeats
    python benchmarks/run_wall.py --scale 0.02 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STAGES = ("import", "setup", "days", "results", "save", "tables", "html", "other")
TOTALS = ("wall", "cpu")
MARK = "RUN_WALL "


def _timed(owner, name: str, seconds: dict, stage: str) -> None:
    """Replace ``owner.name`` by a wrapper adding its wall time to ``seconds[stage]``."""
    original = getattr(owner, name) if not isinstance(owner, dict) else owner[name]

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - start

    if isinstance(owner, dict):
        owner[name] = wrapper
    else:
        setattr(owner, name, wrapper)


def measure_one(scale: float, out: str) -> dict:
    """Run ``corridor run`` in this process with the stage timers; seconds per stage (before ``other``)."""
    start = time.perf_counter()
    import corridor.cli as cli
    import corridor.engine.loop as loop
    import corridor.report as report
    import corridor.results.dataset as dataset
    import corridor.runner as runner

    seconds = {"import": time.perf_counter() - start}
    _timed(runner, "assemble", seconds, "setup")
    _timed(loop.Run, "execute", seconds, "days")
    _timed(runner.Assembled, "simulate", seconds, "simulate")
    _timed(dataset, "save", seconds, "save")
    _timed(cli._REPORTS, "us_mexico", seconds, "report")
    _timed(report, "write_report", seconds, "html")
    cli.app(["run", "--scale", str(scale), "--out", out], standalone_mode=False)
    seconds["results"] = seconds.pop("simulate") - seconds["days"]
    seconds["tables"] = seconds.pop("report") - seconds["html"]
    return seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_checkout(checkout: Path, scale: float) -> dict:
    """One fresh process running the command from ``checkout``; seconds per stage, ``other``, ``wall``, ``cpu``."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    with tempfile.TemporaryDirectory() as out:
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(scale), "--out", out],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        cpu = _children_cpu() - cpu
    line = next(line for line in reversed(done.stdout.splitlines()) if line.startswith(MARK))
    seconds = json.loads(line.removeprefix(MARK))
    seconds["other"] = wall - sum(seconds.values())
    return seconds | {"wall": wall, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--reference", type=Path, help="another checkout to run the same command from")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        seconds = measure_one(args.one, args.out)
        print(MARK + json.dumps(seconds))
        return
    checkouts = {"this": REPO} | ({"reference": args.reference.resolve()} if args.reference else {})
    print(f"corridor run --scale {args.scale}; load average {os.getloadavg()[0]:.2f}; seconds")
    print(f"{'checkout':>10} {'run':>4} " + " ".join(f"{column:>8}" for column in (*STAGES, *TOTALS)))
    best: dict[str, dict] = {}
    for repeat in range(args.repeat):
        for name, checkout in checkouts.items():
            row = run_checkout(checkout, args.scale)
            print(f"{name:>10} {repeat + 1:>4} " + " ".join(f"{row[s]:>8.2f}" for s in (*STAGES, *TOTALS)))
            best[name] = {s: min(v, best.get(name, {}).get(s, v)) for s, v in row.items()}
    if "reference" in best:
        ratios = " ".join(f"{best['reference'][s] / max(best['this'][s], 1e-9):>8.2f}" for s in (*STAGES, *TOTALS))
        print(f"{'ref/this':>10} {'best':>4} {ratios}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
