"""Every lever of the US–Mexico model changes some output: each is moved to an end of its range (all entries of
an indexed lever) on the every-mechanism world (tests/tiny_world.py), and a run with it moved must differ from
the same run (same seed) without. A lever that changes nothing anywhere is dead code in the model.

Some levers act by design only while another is set: a share that applies only when its policy is in force, an
aid lag with no aid. They are moved with that policy active; the pairs are listed in ``ACTIVE_WITH``."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import xarray as xr
from tiny_world import every_mechanism_world

from corridor import simulate
from corridor.models.us_mexico.model import all_levers, us_mexico_phases
from corridor.models.us_mexico.world import build_world
from corridor.scenario.load import load_scenario

SEED = 3
TITLE_42 = {"title42.active": 1, "title42.expel_share": 0.5}
REMAIN_IN_MEXICO = {"mpp.active": 1, "mpp.enrol_share": 0.5}
BARGAIN = {"mexico.bargain": 1}

# lever -> the setting without which it cannot act (a policy in force, or a level it multiplies)
ACTIVE_WITH: dict[str, dict[str, float]] = {
    "title42.active": {"title42.expel_share": 0.5},
    "title42.expel_share": {"title42.active": 1},
    "title42.family_share": {"title42.active": 1},
    "border.retry_share": TITLE_42,
    "mpp.active": {"mpp.enrol_share": 0.5},
    "mpp.enrol_share": {"mpp.active": 1},
    "mpp.hearing_wait_days": REMAIN_IN_MEXICO,
    "mpp.abscond_rate": REMAIN_IN_MEXICO,
    "parole.stay_home_share": {"parole.eligible": 1},
    "parole.places_per_month": {"parole.eligible": 1},
    "aid.level": {"aid.lag_days": 30},
    "aid.elasticity": {"aid.level": 100, "aid.lag_days": 30},
    "aid.lag_days": {"aid.level": 100},
    # everyone detained is deported unless the limit on detention (the 36-hour ruling) releases them
    "detention.give_up_share": {"detention.max_hours": 36},
    "decompression.rate": {"detention.max_hours": 36},
    "decompression.refee_share": {"detention.max_hours": 36, "decompression.rate": 0.5},
    "decompression.cost_usd": {"detention.max_hours": 36, "decompression.rate": 0.5},
    "removal.land_capacity_per_day": {"removal.land_return": 1},
    "removal.land_cost_usd": {"removal.land_return": 1},
    "budget.settle_share": {"budget.median_usd": 300},
    "mexico.personnel_elasticity": {"mexico.personnel": 10},
    "border.urban_enforcement_cost": {"border.city_enforcement": 3},
    "departure.network_reference": {"departure.network_elasticity": 1},
}


def active_with(name: str) -> dict[str, float]:
    """The setting a lever is moved in: the bargain's parameters act only while it runs."""
    return BARGAIN if name.startswith("bargain.") else ACTIVE_WITH.get(name, {})


def runner(folder: Path) -> Callable[[dict[str, float]], xr.Dataset]:
    """Runs of ``folder`` with the same seed, each setting run once (the settings' baselines are shared)."""

    @cache
    def run(overrides: tuple[tuple[str, float], ...]) -> xr.Dataset:
        return simulate(folder, seed=SEED, overrides=dict(overrides))

    return lambda overrides: run(tuple(sorted(overrides.items())))


def differs(a: xr.Dataset, b: xr.Dataset) -> bool:
    return any(not np.array_equal(a[name].values, b[name].values, equal_nan=True) for name in a.data_vars)


def ends(lever) -> list[float]:
    """The ends of the lever's range, the one farther from its default first."""
    hi = lever.hi if math.isfinite(lever.hi) else max(10 * abs(lever.default), 1.0)
    return [lever.lo, hi] if lever.default - lever.lo >= hi - lever.default else [hi, lever.lo]


def test_every_lever_changes_some_output(tmp_path):
    folder = every_mechanism_world(tmp_path / "world")
    run = runner(folder)
    dead = []
    for lever in all_levers(us_mexico_phases(build_world(load_scenario(folder)))):
        setting = active_with(lever.name)
        base = run(setting)
        if not any(differs(base, run({**setting, lever.name: end})) for end in ends(lever)):
            dead.append(lever.name)
    assert not dead, f"levers that change no output: {dead}"
