"""What follows an apprehension in Mexico, and the money migrants carry, on the tiny world (tests/tiny_world.py):
each lever moved far enough that its effect stands well beyond seed noise, with paired seeds (same seed both runs).
"""

from __future__ import annotations

import pytest
from tiny_world import tiny_world

from corridor import simulate

HELD = {"checkpoints.detect_each": 0.2, "removal.notice_hours": 72.0}
THIRTY_SIX_HOURS = {**HELD, "detention.max_hours": 36.0}


def run(tmp_path, name: str, **parameters):
    return simulate(tiny_world(tmp_path / name, parameters=parameters))


def total(tmp_path, name: str, variable: str, **parameters) -> float:
    return float(run(tmp_path, name, **parameters)[variable].sum())


def test_land_returns_go_on_when_the_flight_notice_exceeds_the_detention_limit(tmp_path):
    """The 72-hour notice for a flight does not fit in 36 hours of detention; a bus home needs no notice."""
    by_air = run(tmp_path, "air", **THIRTY_SIX_HOURS)
    by_land = run(tmp_path, "land", **THIRTY_SIX_HOURS, **{"removal.land_return": 1})
    assert float(by_air["mx_deportations"].sum()) == 0
    assert float(by_land["mx_land_returns"].sum()) > 5000
    assert float(by_land["mx_deportations"].sum()) == float(by_land["mx_land_returns"].sum())
    # bus seats cost Mexico their price: 50 USD a person by default
    assert float(by_land["mx_removal_cost_usd"].sum()) == pytest.approx(50 * float(by_land["mx_land_returns"].sum()))


def test_within_36_hours_land_returns_set_off_only_from_near_the_southern_border(tmp_path):
    """A bus from Mexico City to the southern border takes longer than 36 hours; from Tapachula it does not."""
    land = {**HELD, "removal.land_return": 1}
    long_limit = total(tmp_path, "long", "mx_land_returns", **land, **{"detention.max_hours": 504})
    short_limit = total(tmp_path, "short", "mx_land_returns", **land, **{"detention.max_hours": 36})
    assert 0.2 * long_limit < short_limit < 0.85 * long_limit


def test_land_seats_bound_the_land_returns(tmp_path):
    land = {**THIRTY_SIX_HOURS, "removal.land_return": 1}
    few_seats = total(tmp_path, "few", "mx_land_returns", **land, **{"removal.land_capacity_per_day": 20})
    assert few_seats <= 20 * 120
    assert few_seats < 0.3 * total(tmp_path, "many", "mx_land_returns", **land)


def test_undeportable_detainees_leave_with_an_exit_permit_and_go_on(tmp_path):
    held_past_notice = total(tmp_path, "long", "encounters", **HELD, **{"detention.max_hours": 504})
    released = run(tmp_path, "short", **THIRTY_SIX_HOURS)
    assert float(released["mx_releases"].sum()) > 5000
    assert float(released["encounters"].sum()) > 1.3 * held_past_notice


def test_decompression_delays_arrival_at_the_border_and_costs_mexico(tmp_path):
    released = run(tmp_path, "released", **THIRTY_SIX_HOURS, **{"decompression.rate": 0.0})
    moved_south = run(tmp_path, "south", **THIRTY_SIX_HOURS, **{"decompression.rate": 1.0})
    assert float(moved_south["mx_decompressions"].sum()) > 5000
    assert float(moved_south["encounters"].sum()) < 0.9 * float(released["encounters"].sum())
    # people moved south pay a smuggler again and spend more days on the road: more run out of money
    assert float(moved_south["out_of_money"].sum()) > 2 * float(released["out_of_money"].sum())
    assert float(moved_south["mx_decompression_cost_usd"].sum()) == pytest.approx(
        100 * float(moved_south["mx_decompressions"].sum())
    )


def test_a_smaller_budget_makes_more_people_stop(tmp_path):
    rich = total(tmp_path, "rich", "out_of_money", **{"budget.median_usd": 5000})
    poor = total(tmp_path, "poor", "out_of_money", **{"budget.median_usd": 300})
    assert poor > 5 * rich + 500


def test_higher_bribes_make_more_people_stop(tmp_path):
    """Migrants travelling alone buy their way through checkpoints out of their own money."""
    stopped_often = {
        "checkpoints.detect_each": 0.3,
        "checkpoints.bribe_pass": 1.0,
        "budget.median_usd": 2000,
        "budget.log_sd": 0.3,
    }
    cheap = total(tmp_path, "cheap", "out_of_money", **stopped_often, **{"checkpoints.stop_bribe_usd": 0})
    dear = total(tmp_path, "dear", "out_of_money", **stopped_often, **{"checkpoints.stop_bribe_usd": 1500})
    assert dear > 2 * cheap + 200


def test_smugglers_pay_officers_at_every_checkpoint_passed(tmp_path):
    unseen = {"checkpoints.detect_each": 0.0}
    five = float(simulate(tiny_world(tmp_path / "five", checkpoints=5, parameters=unseen))["bribes_paid_usd"].sum())
    ten = float(simulate(tiny_world(tmp_path / "ten", checkpoints=10, parameters=unseen))["bribes_paid_usd"].sum())
    assert five > 0
    assert ten > 1.8 * five


def test_returned_people_set_off_again_from_home_and_pay_a_smuggler_again(tmp_path):
    returned = {**THIRTY_SIX_HOURS, "removal.land_return": 1}
    stay = run(tmp_path, "stay", **returned, **{"return.redeparture_rate": 0.0})
    again = run(tmp_path, "again", **returned, **{"return.redeparture_rate": 0.2})
    assert float(again["smuggler_fees_usd"].sum()) > 1.1 * float(stay["smuggler_fees_usd"].sum())
    assert float(again["mx_apprehensions"].sum()) > 1.2 * float(stay["mx_apprehensions"].sum())
