"""Ensembles: the same scenario run over many seeds (and optionally many parameter draws), so
results come with the spread that chance and parameter uncertainty put on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import xarray as xr
from distributed import Client, as_completed

from corridor import simulate
from corridor.levers import Overrides
from corridor.models import model_for_command
from corridor.scenario.load import Scenario, load_scenario


def member_seeds(scenario: Scenario, n: int) -> list[int]:
    """Seeds of an ``n``-member ensemble: the scenario's seed and the ``n - 1`` after it."""
    return [scenario.config.seed + member for member in range(n)]


def ensemble(
    scenario: Scenario | str | Path,
    n: int | None = None,
    seeds: Sequence[int] | None = None,
    parameter_draws: Sequence[Overrides | None] | None = None,
    client: Client | None = None,
    scale: float | None = None,
    reduce: Callable[[xr.Dataset], xr.Dataset] | None = None,
    on_member: Callable[[], None] | None = None,
) -> xr.Dataset:
    """Run member ``i`` with ``seeds[i]`` and the overrides ``parameter_draws[i]``, on ``client``'s
    workers or, without one, here one after another; members are stacked along ``ensemble``.

    Each member is a pure function of its scenario, seed and overrides, so the result does not
    depend on how many workers ran it. ``reduce`` (for instance monthly totals) is applied to each
    member where it ran, so large daily results need not travel or be held together. ``on_member``
    is called as each member finishes (a progress bar)."""
    origin = scenario.folder if isinstance(scenario, Scenario) else scenario
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    model_for_command("ensemble", scenario, origin)  # a Flee scenario: one line saying why not
    seeds = list(seeds) if seeds is not None else member_seeds(scenario, n or 1)
    draws = list(parameter_draws) if parameter_draws is not None else [None] * len(seeds)
    if len(draws) != len(seeds):
        raise ValueError(f"{len(draws)} parameter draws for {len(seeds)} seeds")
    done = on_member or (lambda: None)
    if client is None:
        members = []
        for seed, draw in zip(seeds, draws, strict=True):
            members.append(run_member(scenario, seed, draw, scale, reduce))
            done()
    else:
        shared = client.scatter(scenario, broadcast=True, hash=False)
        futures = [
            client.submit(run_member, shared, seed, draw, scale, reduce, pure=False)
            for seed, draw in zip(seeds, draws, strict=True)
        ]
        for _ in as_completed(futures):
            done()
        members = client.gather(futures)
    stacked = xr.concat(members, dim="ensemble", combine_attrs="drop_conflicts")
    return stacked.assign_coords(ensemble=range(len(seeds)), seed=("ensemble", seeds))


def run_member(
    scenario: Scenario,
    seed: int,
    draw: Overrides | None,
    scale: float | None,
    reduce: Callable[[xr.Dataset], xr.Dataset] | None,
) -> xr.Dataset:
    """One member: ``scenario`` with ``seed`` and the overrides ``draw``, reduced where it ran."""
    ds = simulate(scenario, seed=seed, overrides=draw, scale=scale)
    return reduce(ds) if reduce is not None else ds
