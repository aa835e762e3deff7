"""Origin conditions (drivers.csv) say when a condition is in force; the lever origin.condition_effect says how
much it moves departures. No effect, no change: a condition's dates alone never move anything."""

from __future__ import annotations

import numpy as np
from tiny_world import tiny_world

from corridor import simulate
from corridor.scenario.load import load_scenario

# a drought at home, coming into force over February 2022 and full from 1 March
DROUGHT = [
    ("2022-02-01", "guatemala", "drought", 0.0, "test"),
    ("2022-03-01", "guatemala", "drought", 1.0, "test"),
]


def daily_departures(tmp_path, name, effect, drivers=DROUGHT):
    folder = tiny_world(tmp_path / name, days=120, parameters={"origin.condition_effect": effect}, drivers=drivers)
    return simulate(folder)["departures"].sum("group").to_numpy()


def test_a_condition_multiplies_departures_by_the_exponential_of_its_effect(tmp_path):
    without = daily_departures(tmp_path, "none", {"drought": 0.0})
    doubled = daily_departures(tmp_path, "double", {"drought": float(np.log(2))})
    before, full = slice(0, 31), slice(59, 120)  # January; March onwards
    assert np.array_equal(without[before], doubled[before])  # nothing in force, same draws
    ratio = doubled[full].sum() / without[full].sum()
    assert 1.8 < ratio < 2.2


def test_a_condition_dated_for_all_groups_acts_like_one_dated_for_the_group(tmp_path):
    for_all = [("2022-02-01", "all", "drought", 0.0, "test"), ("2022-03-01", "all", "drought", 1.0, "test")]
    own = daily_departures(tmp_path, "own", {"drought": -1.0})
    shared = daily_departures(tmp_path, "all", {"drought": -1.0}, drivers=for_all)
    assert np.array_equal(own, shared)
    assert shared[59:].sum() < 0.45 * daily_departures(tmp_path, "zero", {"drought": 0.0})[59:].sum()


def test_a_condition_dated_after_a_fit_window_keeps_its_name_and_is_not_in_force(tmp_path):
    folder = tiny_world(
        tmp_path / "cut", days=120, parameters={"origin.condition_effect": {"drought": 1.0}}, drivers=DROUGHT
    )
    seen = load_scenario(folder).data_known_by("2022-01-15")  # before the drought's first knot
    assert [row.condition for row in seen.drivers] == ["drought"]
    with_cut = simulate(seen)["departures"].sum("group").to_numpy()
    without = daily_departures(tmp_path, "none", {"drought": 0.0})
    assert np.array_equal(with_cut, without)
