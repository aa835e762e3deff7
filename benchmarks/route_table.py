"""Route choice's table: the numba build against the scipy build it replaced, on the built-in world.

The reference below is the earlier build (numpy per table row, a scipy sparse matrix and Dijkstra for
the value function), kept here only to time it and to check that the kernel gives the same table. Both
build the table for several states of the world (effort, a closure, a visa requirement, news heard);
the script prints the seconds per build of each, their ratio, and whether the tables are identical.

    python benchmarks/route_table.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import csgraph_from_dense, dijkstra

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def scipy_choice_table(phase, params, effort: float, heard_stop: np.ndarray | None = None) -> np.ndarray:
    """The earlier build of RouteChoice.choice_table, with its value function inlined and, like the kernel, the
    cheapest of parallel links (the sparse matrix it was built on summed them)."""
    from corridor.models.us_mexico.phases.checkpoints import detection_probability
    from corridor.models.us_mexico.phases.route_choice import URBAN_CROSSINGS
    from corridor.models.us_mexico.world import ENTRIES
    from corridor.scenario.schema import FLOWS, MODES

    w = phase.world
    stopped = detection_probability(w, params, effort)
    days = w.route_km / params["travel.speed_km_day"][w.route_mode]
    death = 1 - (1 - params["mortality.hazard"][w.route_mode]) ** np.maximum(days, 1.0)
    base = days + params.scalar("route.risk_aversion") * death
    base = base + np.where(w.route_mode == MODES.index("air"), params.scalar("route.air_cost"), 0.0)
    base = base + np.where(w.route_mode == MODES.index("port"), params.scalar("ports.walkin_cost"), 0.0)
    urban = np.isin(w.route_mode, URBAN_CROSSINGS) & (w.route_flow == FLOWS.index("crossing"))
    enforcement = np.maximum(params["border.city_enforcement"][w.route_from] - 1.0, 0.0)
    base = base + np.where(urban, params.scalar("border.urban_enforcement_cost") * enforcement, 0.0)
    base = base + params["route.place_risk_cost"][w.route_to]
    open_route = params["route.open"] > 0.5
    air_entry = w.route_entry == ENTRIES.index("air_mexico")
    truck = w.route_mode == MODES.index("truck")
    sectors = np.flatnonzero(w.place_sector >= 0)
    n = len(w.place_names)
    table = np.zeros((2 * len(w.groups), w.graph.link_ids.shape[0]))
    for g in range(len(w.groups)):
        for smuggled in (0, 1):
            perceived_stop = stopped[g] * (
                1 - params.scalar("checkpoints.bribe_pass_smuggled")
                if smuggled
                else 1 - params.scalar("checkpoints.bribe_pass")
            )
            if heard_stop is not None:
                row = heard_stop[2 * g + smuggled]
                perceived_stop = np.where(np.isnan(row), perceived_stop, row)
            perceived_stop = perceived_stop * params.scalar("news.route_weight")
            cost = base + params.scalar("route.detection_aversion") * perceived_stop
            usable = open_route & ~(air_entry & (params["visa.required"][g] > 0.5)) & (smuggled | ~truck)
            sharpness = params.scalar("route.choice_sharpness")
            edges = np.flatnonzero(usable)
            cheapest = np.full((n, n), np.inf)  # of parallel links, the cheapest
            np.minimum.at(cheapest, (w.route_to[edges], w.route_from[edges]), cost[edges])
            reverse = csgraph_from_dense(cheapest, null_value=np.inf)
            value = dijkstra(reverse, directed=True, indices=sectors, min_only=True)
            total = np.where(usable, cost + value[w.route_to], np.inf)
            best = np.full(n, np.inf)
            np.minimum.at(best, w.route_from, total)
            finite = np.isfinite(total)
            weight = np.zeros_like(total)
            weight[finite] = np.exp(-sharpness * (total[finite] - best[w.route_from[finite]]))
            norm = np.zeros(n)
            np.add.at(norm, w.route_from, weight)
            probability = np.divide(weight, norm[w.route_from], out=np.zeros_like(weight), where=norm[w.route_from] > 0)
            table[2 * g + smuggled] = probability[w.graph.link_ids]
    return table


def states(run):
    """(label, params, effort, heard_stop) for the builds compared: the start of the run, raised effort, a
    closed route, a visa requirement, and news heard on some routes (NaN elsewhere)."""
    params = run.params
    world = run.sim.world
    closed, visa = params.copy(), params.copy()
    closed["route.open"][np.flatnonzero(world.route_mode == 0)[:1]] = 0.0
    visa["visa.required"][:] = 1.0
    rows, routes = 2 * len(world.groups), len(world.route_names)
    generator = np.random.default_rng(0)
    heard = np.where(generator.random((rows, routes)) < 0.6, np.nan, generator.random((rows, routes)) * 0.5)
    return [
        ("start", params, 1.0, None),
        ("effort 2.5", params, 2.5, None),
        ("closure", closed, 1.0, None),
        ("visa", visa, 1.0, None),
        ("news heard", params, 1.5, heard),
    ]


def seconds_per_build(build, arguments: tuple, repeats: int, blocks: int = 5) -> float:
    """The fastest of ``blocks`` blocks of ``repeats`` builds, per build: the machine's other load only adds."""
    fastest = float("inf")
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(repeats):
            build(*arguments)
        fastest = min(fastest, (time.perf_counter() - start) / repeats)
    return fastest


def main() -> None:
    from corridor.resources import builtin_scenario
    from corridor.runner import assemble

    run = assemble(builtin_scenario(), scale=0.001).run
    phase = next(p for p in run.phases if p.name == "route_choice")
    print(f"{'state':<12} {'scipy ms':>9} {'numba ms':>9} {'ratio':>7} identical")
    identical_all = True
    for label, params, effort, heard in states(run):
        reference = scipy_choice_table(phase, params, effort, heard)
        table = phase.choice_table(params, effort, heard)  # compiles or loads the kernel before timing
        identical = np.array_equal(reference, table)
        identical_all &= identical
        old = seconds_per_build(scipy_choice_table, (phase, params, effort, heard), 20)
        new = seconds_per_build(phase.choice_table, (params, effort, heard), 200)
        difference = "" if identical else f" (max |difference| {np.abs(reference - table).max():.3g})"
        print(f"{label:<12} {old * 1e3:>9.2f} {new * 1e3:>9.3f} {old / new:>7.0f} {identical}{difference}")
    if not identical_all:
        sys.exit(1)


if __name__ == "__main__":
    main()
