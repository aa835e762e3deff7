"""The agents' columns: narrow types that a world too large for them is refused for, and the pool of agents at
home kept apart from those on the road without changing the order the road's kernels see them in."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tiny_world import tiny_world

from corridor.models.us_mexico.simulation import AGENT_SCHEMA, check_columns_fit
from corridor.models.us_mexico.world import Status, build_world
from corridor.runner import assemble
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import load_scenario

RETURNS = {
    "checkpoints.detect_each": 0.2,
    "detention.max_hours": 36.0,
    "removal.land_return": 1,
    "return.redeparture_rate": 0.2,
}


def test_an_agent_takes_fewer_than_half_the_bytes_of_eight_byte_columns():
    assert sum(np.dtype(dtype).itemsize for dtype in AGENT_SCHEMA.values()) < 8 * len(AGENT_SCHEMA) / 2


def test_a_world_with_more_places_than_the_place_column_holds_is_refused(tmp_path):
    folder = tiny_world(tmp_path / "tiny")
    world = build_world(load_scenario(folder))
    check_columns_fit(world, folder)  # the tiny world fits
    too_many = [f"place {i}" for i in range(np.iinfo(AGENT_SCHEMA["place"]).max + 1)]
    with pytest.raises(ScenarioError) as error:
        check_columns_fit(dataclasses.replace(world, place_names=too_many), folder)
    assert "places.csv" in str(error.value) and "found 32768, expected at most 32767" in str(error.value)


def test_people_at_home_wait_apart_and_return_to_the_road_in_the_order_of_their_ids(tmp_path):
    """Everyone on the road stays in id order (the order detention seats are given in) while people go home
    and set off again every day; nobody is in both places or lost between them."""
    assembled = assemble(tiny_world(tmp_path / "tiny", parameters=RETURNS))
    sim = assembled.run.sim
    seen_at_home: set[int] = set()
    back_on_the_road: set[int] = set()

    def check(day: int) -> None:
        road, home = sim.state, sim.at_home
        assert np.all(np.diff(road.id) > 0)
        assert np.all((home.status == Status.HOME) | (home.status == Status.GONE))
        assert np.intersect1d(road.id, home.id).size == 0
        back_on_the_road.update(seen_at_home.intersection(road.id[road.status != Status.HOME].tolist()))
        seen_at_home.update(home.id.tolist())

    assembled.simulate(check)
    assert len(back_on_the_road) > 50
