"""Migrant networks (departure.network_elasticity): people of a nationality released into the US draw more of it
onto the road, on the tiny world with paired seeds; before anyone is released, nothing changes."""

from __future__ import annotations

from tiny_world import two_way_world

from corridor import simulate

NETWORK = {"departure.network_elasticity": 1.0, "departure.network_reference": 50_000.0}


def test_people_released_into_the_us_draw_more_of_their_nationality(tmp_path):
    without = simulate(two_way_world(tmp_path / "without", parameters={}))
    network = simulate(two_way_world(tmp_path / "network", parameters=NETWORK))
    released = without.us_outcomes.sel(us_outcome="released").cumsum("time")
    first_release = int((released > 0).argmax())
    before = slice(0, first_release + 1)  # departures read yesterday's releases
    assert float(network.departures.isel(time=before).sum()) == float(without.departures.isel(time=before).sum())
    later = slice(-60, None)
    assert float(network.departures.isel(time=later).sum()) > 1.5 * float(without.departures.isel(time=later).sum())
