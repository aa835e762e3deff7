"""The agents' columns: narrow types that a world too large for them is refused for, and the pool of agents at
home kept apart from those on the road without changing the order the road's kernels see them in."""

from __future__ import annotations

import numpy as np
from tiny_world import PLACES, tiny_world
from typer.testing import CliRunner

from corridor.cli import app
from corridor.models.us_mexico.simulation import AGENT_SCHEMA
from corridor.models.us_mexico.world import Status
from corridor.runner import assemble

RETURNS = {
    "checkpoints.detect_each": 0.2,
    "detention.max_hours": 36.0,
    "removal.land_return": 1,
    "return.redeparture_rate": 0.2,
}


def test_an_agent_takes_fewer_than_half_the_bytes_of_eight_byte_columns():
    assert sum(np.dtype(dtype).itemsize for dtype in AGENT_SCHEMA.values()) < 8 * len(AGENT_SCHEMA) / 2


def test_a_world_with_more_places_than_the_place_column_holds_is_refused_with_a_located_message(tmp_path):
    folder = tiny_world(tmp_path / "tiny", days=10)
    limit = np.iinfo(AGENT_SCHEMA["place"]).max
    with (folder / "places.csv").open("a") as places:
        places.writelines(f"Village {i},mx_center,MEX,19.4,-99.1,,0\n" for i in range(limit))
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = " ".join(result.output.split())
    assert f"places.csv: too many places for one run (found {limit + len(PLACES)}, expected at most {limit})" in text


def test_people_at_home_wait_apart_and_return_to_the_road_in_the_order_of_their_ids(tmp_path):
    """Everyone on the road stays in id order (the order detention seats are given in) while people go home
    and set off again every day; nobody is in both places or lost between them; the pool is kept in the order of
    the day each stay ends, latest first, and no stay in it has ended unseen."""
    assembled = assemble(tiny_world(tmp_path / "tiny", parameters=RETURNS))
    sim = assembled.run.sim
    seen_at_home: set[int] = set()
    back_on_the_road: set[int] = set()

    def check(day: int) -> None:
        road, home = sim.state, sim.at_home
        assert np.all(np.diff(road.id) > 0)
        assert np.all(home.status == Status.HOME)
        assert np.all(np.diff(home.home_until) <= 0) and np.all(home.home_until > day)
        assert np.intersect1d(road.id, home.id).size == 0
        back_on_the_road.update(seen_at_home.intersection(road.id[road.status != Status.HOME].tolist()))
        seen_at_home.update(home.id.tolist())

    assembled.simulate(check)
    assert len(back_on_the_road) > 50


def test_people_waiting_are_counted_by_place_as_a_bincount_of_the_waiting_statuses_would():
    from corridor.models.us_mexico.phases.bookkeeping import _count_waiting

    generator = np.random.default_rng(7)
    status = generator.integers(0, len(Status), 5_000).astype(np.int8)
    place = generator.integers(0, 40, 5_000).astype(np.int16)
    waiting = np.zeros(40)
    _count_waiting(status, place, waiting)
    is_waiting = (status == Status.WAITING) | (status == Status.MPP_WAIT)
    np.testing.assert_array_equal(waiting, np.bincount(place[is_waiting], minlength=40))
    assert 0 < waiting.sum() < 5_000
