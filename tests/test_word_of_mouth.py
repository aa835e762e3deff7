"""Word of mouth (corridor/models/us_mexico/phases/word_of_mouth.py) on the two-way tiny world: closer watch on
one route, heard of by those at home, lowers departures and moves people to the other route; with the news
switched off neither happens, and a longer lag delays the response. Paired seeds throughout."""

from __future__ import annotations

import pytest
from tiny_world import two_way_world

from corridor import simulate

BUS = "Tapachula->Mexico City (bus)"
RAIL = "Tapachula->Mexico City (rail)"
WATCHED = {"checkpoints.count": {BUS: 40}}
NEWS_OFF = {"news.deterrence": 0.0, "news.route_weight": 0.0}


def run(tmp_path, name: str, parameters: dict, events: list[dict] | None = None):
    return simulate(two_way_world(tmp_path / name, parameters=parameters, events=events))


def departures(ds, start: int, stop: int) -> float:
    return float(ds.departures.isel(time=slice(start, stop)).sum())


def bus_share(ds, start: int) -> float:
    entries = ds.route_entries.isel(time=slice(start, None)).sum("time")
    return float(entries.sel(route=BUS) / (entries.sel(route=BUS) + entries.sel(route=RAIL)))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("word_of_mouth")
    return {
        (news, watched): run(
            tmp, f"{news}-{watched}", (NEWS_OFF if news == "off" else {}) | (WATCHED if watched else {})
        )
        for news in ("on", "off")
        for watched in (False, True)
    }


def test_a_watched_route_heard_of_lowers_later_departures(runs):
    later = (80, 160)
    assert departures(runs["on", True], *later) < 0.9 * departures(runs["on", False], *later)


def test_a_watched_route_heard_of_loses_share(runs):
    assert bus_share(runs["on", True], 80) < bus_share(runs["on", False], 80) - 0.1


def test_without_news_the_watch_changes_neither_departures_nor_routes(runs):
    later = (80, 160)
    ratio = departures(runs["off", True], *later) / departures(runs["off", False], *later)
    assert 0.98 < ratio < 1.02
    assert abs(bus_share(runs["off", True], 80) - bus_share(runs["off", False], 80)) < 0.02


def test_a_longer_lag_delays_the_fall_in_departures(tmp_path):
    """The watch starts on day 60; a week after the news of it could arrive with a 5-day lag, departures have
    fallen with that lag and not yet with a 50-day one."""
    watch = [
        {
            "date": "2022-03-02",
            "lever": "checkpoints.count",
            "action": "set",
            "value": 40,
            "where": BUS,
            "source": "test",
        }
    ]
    window = (75, 105)
    fall = {}
    for lag in (5, 50):
        lagged = {"news.lag_days": lag, "news.memory_days": 10}
        base = departures(run(tmp_path, f"base-{lag}", lagged), *window)
        fall[lag] = 1 - departures(run(tmp_path, f"watch-{lag}", lagged, watch), *window) / base
    assert fall[5] > 0.08
    assert fall[50] < 0.02
