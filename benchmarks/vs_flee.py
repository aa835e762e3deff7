"""Flee (PyPI flee==3.1) vs corridor's flee ruleset: speed, peak memory and validation error.

Each measurement runs in its own process so peak RSS is that run's alone (and each Flee seed
gets a fresh interpreter: flee.spawning keeps the refugee debt in module globals). Flee pins
old dependencies, so it is never installed next to corridor: give its interpreter with
``--flee-python`` (e.g. a venv: python -m venv /tmp/fleevenv && /tmp/fleevenv/bin/pip install
flee==3.1). Without one (and without flee importable here) only corridor is measured.
corridor runs seeds 0..N-1 under both rule sets (corridor/models/flee/rules.py), Flee seeds 1..M
(Python random and numpy.random seeded alike); errors are means over seeds.

    python benchmarks/vs_flee.py --conflict mali2012 --flee-python /tmp/fleevenv/bin/python
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ANCHORS = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "flee"
SCALE = {"initial": 500_000, "per_day": 10_000, "days": 10, "places": 100}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- parts run in child processes; each prints one JSON line ----


def corridor_conflict(folder: str, seeds: int, rules: str) -> dict:
    from corridor.models.flee.metric import validate
    from corridor.models.flee.reader import read_flee_folder
    from corridor.models.flee.rules import use_rules
    from corridor.models.flee.simulate import simulate_flee

    flee = use_rules(read_flee_folder(folder), rules)
    simulate_flee(flee, seed=0, days=2)  # compile/load the numba kernels outside the timing
    walls, errors = [], []
    for seed in range(seeds):
        start = time.perf_counter()
        ds = simulate_flee(flee, seed=seed)
        walls.append(time.perf_counter() - start)
        errors.append(validate(ds))
    return {
        "wall_s": min(walls),
        "agent_steps": ds.attrs["agent_steps"],
        "normal": sum(e["normal"] for e in errors) / seeds,
        "rescaled": sum(e["rescaled"] for e in errors) / seeds,
        "peak_mb": _peak_mb(),
    }


def corridor_scaling() -> dict:
    import datetime as dt

    from corridor.models.flee.model import FleeInput, Location, Route, Series, SimSettings
    from corridor.models.flee.simulate import simulate_flee

    start, n, days = dt.date(2020, 1, 1), SCALE["places"], SCALE["days"]
    locations, routes = _synthetic_graph()
    locs = [
        Location(name=name, country="X" if kind != "camp" else "Y", location_type=kind, population=pop)
        for name, kind, pop in locations
    ]
    end = start + dt.timedelta(days=days)
    camps = [name for name, kind, _ in locations if kind == "camp"]
    # insert_day0=False: day 0 spawns the day-0 observed total at conflict zones, then per_day
    series = [
        Series(
            name=c,
            dates=[start, end],
            counts=[SCALE["initial"] / len(camps), (SCALE["initial"] + SCALE["per_day"] * days) / len(camps)],
        )
        for c in camps
    ]
    flee = FleeInput(
        name="scaling",
        start_date=start,
        days=days,
        settings=SimSettings(insert_day0=False),
        locations=locs,
        routes=[Route(name1=a, name2=b, distance=d) for a, b, d in routes],
        series=series,
    )
    simulate_flee(flee, seed=0, days=1)
    begin = time.perf_counter()
    ds = simulate_flee(flee, seed=1)
    wall = time.perf_counter() - begin
    assert n == len(locs)
    return {"wall_s": wall, "agent_steps": ds.attrs["agent_steps"], "peak_mb": _peak_mb()}


def flee_conflict(folder: str, seed: int) -> dict:
    """One Flee run, the loop of Flee's runscripts/run.py (djgroen/flee)."""
    import random

    import numpy as np
    import yaml
    from flee import InputGeography, flee, spawning
    from flee.datamanager import handle_refugee_data, read_period
    from flee.SimulationSettings import SimulationSettings

    random.seed(seed), np.random.seed(seed)
    folder = Path(folder)
    # flee 3.1 does not read sum_from_camps; its run script passes SumFromCamps, so take the
    # scenario's value (False = spawn_daily_displaced's default)
    spawn_rules = (yaml.safe_load((folder / "simsetting.yml").read_text()) or {}).get("spawn_rules") or {}
    sum_from_camps = bool(spawn_rules.get("sum_from_camps", False))
    start_date, days = read_period.read_conflict_period(str(folder / "input_csv" / "sim_period.csv"))
    SimulationSettings.ReadFromYML(str(folder / "simsetting.yml"))
    SimulationSettings.ConflictInputFile = str(folder / "input_csv" / "conflicts.csv")
    e = flee.Ecosystem()
    ig = InputGeography.InputGeography()
    ig.ReadConflictInputCSV(SimulationSettings.ConflictInputFile)
    ig.ReadLocationsFromCSV(str(folder / "input_csv" / "locations.csv"))
    ig.ReadLinksFromCSV(str(folder / "input_csv" / "routes.csv"))
    ig.ReadClosuresFromCSV(str(folder / "input_csv" / "closures.csv"))
    e, lm = ig.StoreInputGeographyInEcosystem(e)
    d = handle_refugee_data.RefugeeTable(
        csvformat="generic",
        data_directory=str(folder / "source_data"),
        start_date=start_date,
        data_layout="data_layout.csv",
        population_scaledown_factor=SimulationSettings.optimisations["PopulationScaleDownFactor"],
    )
    d.ReadL1Corrections(str(folder / "input_csv" / "registration_corrections.csv"))
    camps = e.get_camp_names()
    for name in camps:
        spawning.add_initial_refugees(e, d, lm[name])
    sim, obs, steps = [], [], 0
    begin = time.perf_counter()
    for t in range(days):
        ig.AddNewConflictZones(e, t)
        spawning.spawn_daily_displaced(e, t, d, SumFromCamps=sum_from_camps)
        spawning.refresh_spawn_weights(e)
        e.enact_border_closures(t)
        steps += e.numAgents()
        e.evolve()
        sim.append([lm[c].numAgents for c in camps])
        obs.append([d.get_field(c, t) for c in camps])
        if (t + 1) % max(1, days // 20) == 0 or t + 1 == days:  # Flee runs take up to hours
            print(
                f"flee 3.1 {folder.name} seed {seed}: day {t + 1}/{days}, {e.numAgents():,} agents, "
                f"{time.perf_counter() - begin:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    return {
        "wall_s": time.perf_counter() - begin,
        "agent_steps": steps,
        "sim": sim,
        "obs": obs,
        "camps": camps,
        "peak_mb": _peak_mb(),
    }


def flee_scaling() -> dict:
    import tempfile

    from flee import flee
    from flee.SimulationSettings import SimulationSettings

    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "defaults.yml"
        empty.write_text("{}\n")
        SimulationSettings.ReadFromYML(str(empty))  # Flee's defaults: Ecosystem() reads them
    e = flee.Ecosystem()
    locations, routes = _synthetic_graph()
    for name, kind, pop in locations:
        e.addLocation(
            name,
            location_type=kind,
            pop=pop if kind != "camp" else 0,
            capacity=pop if kind == "camp" else -1,
            foreign=kind == "camp",
        )
    for a, b, d in routes:
        e.linkUp(a, b, d)
    conflict = [e.locations[i] for i, (_, kind, _) in enumerate(locations) if kind == "conflict_zone"]
    begin, steps = time.perf_counter(), 0
    for i in range(SCALE["initial"]):
        e.addAgent(conflict[i % len(conflict)], {})
    for _ in range(SCALE["days"]):
        for i in range(SCALE["per_day"]):
            e.addAgent(conflict[i % len(conflict)], {})
        steps += e.numAgents()
        e.evolve()
    return {"wall_s": time.perf_counter() - begin, "agent_steps": steps, "peak_mb": _peak_mb()}


def _synthetic_graph():
    """A ring-with-chords graph: 10 conflict zones, 80 towns, 10 camps (deterministic)."""
    n = SCALE["places"]
    kinds = ["conflict_zone"] * 10 + ["town"] * 80 + ["camp"] * 10
    locations = [(f"L{i}", kinds[i], 10_000 if kinds[i] != "camp" else 100_000) for i in range(n)]
    routes = [(f"L{i}", f"L{(i + 1) % n}", 50 + (i * 37) % 150) for i in range(n)]
    routes += [(f"L{i}", f"L{(i * 7 + 13) % n}", 100 + (i * 53) % 300) for i in range(0, n, 3) if (i * 7 + 13) % n != i]
    return locations, routes


# ---- orchestration ----


def _child(python: str, part: str, *args: str) -> dict:
    """Run one part in its own interpreter; its stderr (progress, errors) goes straight to ours."""
    out = subprocess.run([python, __file__, "--part", part, *args], stdout=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{part} failed (exit {out.returncode}; its messages are above)")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, r: dict) -> str:
    rate = r["agent_steps"] / r["wall_s"]
    return (
        f"{label:<30} wall {r['wall_s']:8.2f} s  {r['agent_steps'] / 1e6:7.2f} M agent-steps  "
        f"{rate / 1e3:10.0f} k steps/s  peak {r['peak_mb']:7.0f} MB"
    )


def _flee_errors(python: str, folder: str, conflict: str, seed: int, cache: Path | None) -> dict:
    """One Flee seed's run summary and errors, reused from ``cache`` when already there."""
    path = cache / f"{conflict}-seed{seed}.json" if cache else None
    if path and path.exists():
        return json.loads(path.read_text())
    import numpy as np
    import xarray as xr

    from corridor.models.flee.metric import validate

    run = _child(python, "flee_conflict", folder, str(seed))
    ds = xr.Dataset(
        {"sim": (("time", "camp"), np.array(run["sim"])), "obs": (("time", "camp"), np.array(run["obs"]))},
        coords={"camp": run["camps"]},
    )
    errors = validate(ds)
    result = {key: run[key] for key in ("wall_s", "agent_steps", "peak_mb")}
    result |= {"seed": seed, "normal": errors["normal"], "rescaled": errors["rescaled"]}
    if path:
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conflict", default="mali2012")
    parser.add_argument("--anchors", type=Path, default=ANCHORS)
    parser.add_argument("--seeds", type=int, default=5, help="corridor seeds (0..N-1)")
    parser.add_argument("--flee-seeds", type=int, default=5, help="Flee seeds (1..M); 0 = no Flee run")
    parser.add_argument("--flee-python", default=None, help="interpreter with flee==3.1 installed")
    parser.add_argument(
        "--flee-cache",
        type=Path,
        default=None,
        help="folder keeping each Flee seed's result as <conflict>-seed<N>.json, reused when there",
    )
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.part:
        parts = {
            "corridor_conflict": lambda: corridor_conflict(opts.args[0], int(opts.args[1]), opts.args[2]),
            "corridor_scaling": corridor_scaling,
            "flee_scaling": flee_scaling,
            "flee_conflict": lambda: flee_conflict(opts.args[0], int(opts.args[1])),
        }
        print(json.dumps(parts[opts.part]()))
        return

    # imported here: the --part children may run in Flee's interpreter, which has no corridor
    from corridor.models.flee.rules import RULESETS

    folder = str(opts.anchors / opts.conflict)
    flee_python = opts.flee_python or (sys.executable if importlib.util.find_spec("flee") else None)
    print(f"== {opts.conflict}")
    ours = {}
    for rules in RULESETS:
        ours[rules] = _child(sys.executable, "corridor_conflict", folder, str(opts.seeds), rules)
        print(_line(f"corridor {rules} (best of {opts.seeds})", ours[rules]))
        print(
            f"corridor {rules} rules error, mean of {opts.seeds} seeds: normal "
            f"{ours[rules]['normal']:.3f}  rescaled {ours[rules]['rescaled']:.3f}"
        )
    if flee_python and opts.flee_seeds > 0:
        runs = [
            _flee_errors(flee_python, folder, opts.conflict, seed, opts.flee_cache)
            for seed in range(1, opts.flee_seeds + 1)
        ]
        for run in runs:
            print(
                _line(f"flee 3.1 (seed {run['seed']})", run)
                + f"  error normal {run['normal']:.3f}  rescaled {run['rescaled']:.3f}"
            )
        theirs = {key: sum(r[key] for r in runs) / len(runs) for key in ("normal", "rescaled")}
        print(
            f"flee 3.1 error, mean of {len(runs)} seeds: normal {theirs['normal']:.3f}  "
            f"rescaled {theirs['rescaled']:.3f}"
        )
        for key in ("normal", "rescaled"):
            print(f"|corridor 3.1 rules - flee 3.1| {key}: {abs(ours['3.1'][key] - theirs[key]):.3f}")
        best = min(runs, key=lambda r: r["wall_s"])
        ratio = (ours["3.1"]["agent_steps"] / ours["3.1"]["wall_s"]) / (best["agent_steps"] / best["wall_s"])
        print(
            f"speed ratio corridor/flee: agent-steps/s {ratio:.0f}x, "
            f"wall time {best['wall_s'] / ours['3.1']['wall_s']:.0f}x (best walls)"
        )
    else:
        print("no Flee run (flee not importable and no --flee-python, or --flee-seeds 0)")
    if opts.skip_scaling:
        return
    print(
        f"== scaling: {SCALE['initial']:,} initial agents + {SCALE['per_day']:,}/day, {SCALE['days']} days, one process"
    )
    print(_line("corridor", _child(sys.executable, "corridor_scaling")))
    if flee_python:
        print(_line("flee 3.1", _child(flee_python, "flee_scaling")))


if __name__ == "__main__":
    main()
