"""Each mechanism of the US–Mexico model on the tiny world (tests/tiny_world.py): a lever moved far
enough that its effect stands well beyond seed noise, with paired seeds (same seed both runs)."""

from __future__ import annotations

import pytest
from tiny_world import tiny_world

from corridor import simulate


def total(tmp_path, name: str, variable: str, **world) -> float:
    """Sum of one output over the whole run of a tiny world built with ``world``."""
    return float(simulate(tiny_world(tmp_path / name, **world))[variable].sum())


def test_departures_follow_their_scale(tmp_path):
    base = total(tmp_path, "base", "departures")
    doubled = total(tmp_path, "doubled", "departures", parameters={"departure.scale": 2.0})
    assert 1.9 < doubled / base < 2.1


def test_checkpoints_stop_people_in_mexico_and_fewer_reach_the_border(tmp_path):
    none = {"checkpoints.detect_each": 0.0}
    many = {"checkpoints.detect_each": 0.3}
    # raids in the border city apprehend some people even without checkpoints
    assert total(tmp_path, "many", "mx_apprehensions", parameters=many) > 3 * total(
        tmp_path, "none", "mx_apprehensions", parameters=none
    )
    assert total(tmp_path, "many_us", "encounters", parameters=many) < 0.9 * total(
        tmp_path, "none_us", "encounters", parameters=none
    )


def test_bribes_let_people_through_checkpoints(tmp_path):
    honest = {"checkpoints.bribe_pass": 0.0, "checkpoints.bribe_pass_smuggled": 0.0}
    corrupt = {"checkpoints.bribe_pass": 0.9, "checkpoints.bribe_pass_smuggled": 0.9}
    assert total(tmp_path, "corrupt", "mx_apprehensions", parameters=corrupt) < 0.3 * total(
        tmp_path, "honest", "mx_apprehensions", parameters=honest
    )
    assert total(tmp_path, "corrupt_usd", "bribes_paid_usd", parameters=corrupt) > total(
        tmp_path, "honest_usd", "bribes_paid_usd", parameters=honest
    )


def test_a_deadly_route_kills(tmp_path):
    safe = total(tmp_path, "safe", "deaths", parameters={"mortality.hazard": {"bus": 0.0}})
    deadly = total(tmp_path, "deadly", "deaths", parameters={"mortality.hazard": {"bus": 0.01}})
    assert safe == 0
    assert deadly > 100


@pytest.mark.parametrize("notice_hours", [72.0])
def test_a_detention_limit_shorter_than_the_notice_lowers_deportations(tmp_path, notice_hours):
    notice = {"removal.notice_hours": notice_hours, "checkpoints.detect_each": 0.2}
    long_limit = total(tmp_path, "long", "mx_deportations", parameters={**notice, "detention.max_hours": 504})
    short_limit = total(tmp_path, "short", "mx_deportations", parameters={**notice, "detention.max_hours": 36})
    assert long_limit > 500
    assert short_limit < 0.5 * long_limit


def test_the_same_seed_gives_the_same_run_and_another_seed_another(tmp_path):
    first = simulate(tiny_world(tmp_path / "a", seed=3))
    again = simulate(tiny_world(tmp_path / "b", seed=3))
    other = simulate(tiny_world(tmp_path / "c", seed=4))
    assert (first["encounters"] == again["encounters"]).all()
    assert not (first["encounters"] == other["encounters"]).all()


@pytest.mark.parametrize("scale", [0.01, 0.004])
def test_removal_seats_average_the_capacity_at_any_scale(tmp_path, scale):
    """350 seats a day are 3.5 agents at scale 0.01 and 1.4 at 0.004: the fractional seat is carried from day to
    day, so Mexico still removes 350 people a day whenever enough are held."""
    held_until_seated = {
        "checkpoints.detect_each": 0.3,
        "removal.notice_hours": 0,
        "removal.processing_hours": 0,
        "detention.max_hours": 10000,
        "removal.capacity_per_day": 350,
    }
    folder = tiny_world(tmp_path / "seats", daily_departures=20000, scale=scale, parameters=held_until_seated)
    ds = simulate(folder).isel(time=slice(30, None))  # once people are held every day
    assert (ds["mx_detained"] > 0).all()
    days = ds.sizes["time"]
    one_agent_over_the_window = 1 / scale / days
    assert abs(float(ds["mx_deportations"].sum("group").mean()) - 350) <= one_agent_over_the_window


def test_removals_cost_mexico_their_price(tmp_path):
    parameters = {"checkpoints.detect_each": 0.2, "removal.cost_usd": 800}
    ds = simulate(tiny_world(tmp_path / "cost", parameters=parameters))
    removals = float(ds["mx_deportations"].sum())
    assert removals > 500
    assert float(ds["mx_removal_cost_usd"].sum()) == pytest.approx(800 * removals)


def test_us_removals_beyond_the_capacity_are_released(tmp_path):
    """Title 8 removals home need a bed and a seat: past the daily capacity, people are released instead."""
    share = {"title8.removal_share": 0.8}

    def outcome(ds, name: str) -> float:
        return float(ds["us_outcomes"].sel(us_outcome=name).sum())

    unbounded = simulate(tiny_world(tmp_path / "unbounded", parameters=share))
    bounded = simulate(tiny_world(tmp_path / "bounded", parameters={**share, "title8.removal_capacity": 20}))
    assert outcome(unbounded, "removed") > 3 * 20 * bounded.sizes["time"] / 4  # the capacity binds
    assert outcome(bounded, "removed") < 1.1 * 20 * bounded.sizes["time"]
    assert outcome(bounded, "released") > 2 * outcome(unbounded, "released")
