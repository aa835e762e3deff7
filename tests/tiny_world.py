"""A tiny US–Mexico world for fast mechanism tests: one origin, three Mexican places, one border city,
one Border Patrol sector, and the routes between them.

Tests build a scenario folder with :func:`tiny_world` and run it through the public ``simulate``, so a
phase is tested in the model it belongs to, in about a second, instead of the four-year scenario.

    origin ──bus──> Tapachula ──bus (checkpoints)──> Mexico City ──bus (checkpoints)──> Ciudad Juarez
                                                                                     ├─foot─> El Paso sector
                                                                                     └─port─> El Paso sector

:func:`every_mechanism_world` adds what the tiny world lacks so that every lever has something to act on: an air
route into Mexico (visas), a jungle and a rail route, a direct bus that skips a place (place risk), checkpoints
at the southern entry, a truck route, a desert crossing, Mexican and Venezuelan groups, summer months, and a
bilateral record with every kind of event.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import yaml

PLACE_COLUMNS = ["name", "kind", "country", "lat", "lon", "sector", "decompression_destination"]
ROUTE_COLUMNS = ["from", "to", "mode", "distance_km", "flow", "entry", "checkpoints"]
ORIGIN_COLUMNS = [
    "group",
    "place",
    "share",
    "single_adult",
    "family",
    "unaccompanied_child",
    "daily_departures",
    "smuggler_share",
]
RECORD_COLUMNS = ["date", "event", "channel", "size", "source"]

PLACES = [
    # name, kind, country, lat, lon, sector, decompression_destination
    ("Origin City", "origin", "GTM", 14.6, -90.5, "", 0),
    ("Tapachula", "mx_south", "MEX", 14.9, -92.3, "", 1),
    ("Mexico City", "mx_center", "MEX", 19.4, -99.1, "", 0),
    ("Ciudad Juarez", "border_city", "MEX", 31.7, -106.4, "", 0),
    ("El Paso sector", "usbp_sector", "USA", 31.8, -106.4, "ELP", 0),
]


def routes(checkpoints: float) -> list[tuple]:
    """from, to, mode, distance_km, flow, entry, checkpoints"""
    return [
        ("Origin City", "Tapachula", "bus", 300, "north", "south_border", 0),
        ("Tapachula", "Mexico City", "bus", 1100, "north", "", checkpoints),
        ("Mexico City", "Ciudad Juarez", "bus", 1800, "north", "", checkpoints),
        ("Ciudad Juarez", "El Paso sector", "foot", 10, "crossing", "", 0),
        ("Ciudad Juarez", "El Paso sector", "port", 2, "crossing", "", 0),
    ]


def tiny_world(
    folder: Path,
    *,
    days: int = 120,
    daily_departures: float = 200.0,
    checkpoints: float = 5.0,
    scale: float = 1.0,
    seed: int = 1,
    parameters: dict | None = None,
    events: list[dict] | None = None,
    drivers: list[tuple] | None = None,
) -> Path:
    """Write a tiny scenario into ``folder`` and return it. ``parameters`` are lever values (the
    scenario's ``parameters:`` block); ``events`` are policy events (policies.yaml entries); ``drivers``
    are origin conditions (drivers.csv rows: date, group, condition, intensity, source)."""
    origins = [("guatemala", "Origin City", 1.0, 0.6, 0.3, 0.1, daily_departures, 0.5)]
    return _write_scenario(
        folder,
        PLACES,
        routes(checkpoints),
        origins,
        "2022-01-01",
        days,
        scale,
        seed,
        parameters,
        events,
        drivers=drivers,
    )


def two_way_world(folder: Path, *, days: int = 160, parameters: dict | None = None, events: list[dict] | None = None):
    """The tiny world with a rail route beside the bus from Tapachula to Mexico City, with as many checkpoints,
    so that people can change route when one of them is watched more closely."""
    two_ways = [*routes(5.0), ("Tapachula", "Mexico City", "rail", 1100, "north", "", 5)]
    origins = [("guatemala", "Origin City", 1.0, 0.6, 0.3, 0.1, 300.0, 0.5)]
    return _write_scenario(folder, PLACES, two_ways, origins, "2022-01-01", days, 1.0, 1, parameters, events)


def every_mechanism_world(
    folder: Path, *, days: int = 150, daily_departures: float = 30.0, parameters: dict | None = None
) -> Path:
    """The tiny world with a feature for every lever (see the module docstring), from mid-May into October so
    that the run spans summer, the record's events and both countries' election seasons; ``daily_departures``
    per group."""
    places = [
        *PLACES,
        ("Caracas", "origin", "VEN", 10.5, -66.9, "", 0),
        ("Oaxaca", "origin", "MEX", 17.1, -96.7, "", 0),
        ("Cancun", "mx_south", "MEX", 21.2, -86.8, "", 0),
    ]
    every_routes = [
        ("Origin City", "Tapachula", "bus", 300, "north", "south_border", 2),
        *routes(5.0)[1:],
        ("Tapachula", "Mexico City", "rail", 1100, "north", "", 5),
        # a long bus straight to the border city, so that paths differ in how many places they pass through
        ("Tapachula", "Ciudad Juarez", "bus", 2900, "north", "", 10),
        ("Caracas", "Cancun", "air", 2500, "north", "air_mexico", 0),
        ("Caracas", "Tapachula", "foot_jungle", 300, "north", "south_border", 2),
        ("Cancun", "Mexico City", "bus", 1600, "north", "", 5),
        ("Oaxaca", "Mexico City", "bus", 450, "north", "", 3),
        ("Mexico City", "Ciudad Juarez", "truck", 1800, "north", "", 5),
        ("Ciudad Juarez", "El Paso sector", "foot_desert", 60, "crossing", "", 0),
    ]
    origins = [
        (group, place, 1.0, 0.6, 0.3, 0.1, daily_departures, 0.5)
        for group, place in (("guatemala", "Origin City"), ("venezuela", "Caracas"), ("mexico", "Oaxaca"))
    ]
    return _write_scenario(
        folder,
        places,
        every_routes,
        origins,
        "2022-05-15",
        days,
        1.0,
        1,
        parameters,
        None,
        BILATERAL_RECORD,
        ORIGIN_CONDITION,
    )


# An origin condition coming into force in one group (test data, not history).
ORIGIN_CONDITION = [
    ("2022-06-01", "guatemala", "test_drought", 0.0, "test"),
    ("2022-07-01", "guatemala", "test_drought", 1.0, "test"),
]

# One event of every channel the bargain reads, and an election of each country (test data, not history).
BILATERAL_RECORD = [
    ("2022-06-01", "test tariff threat", "us_coercion", 1.0, "test"),
    ("2022-06-15", "test delegation", "delegation", 1.0, "test"),
    ("2022-07-01", "test fall in security cooperation", "security_cooperation", -0.3, "test"),
    ("2022-07-01", "test extraditions", "extraditions", 0.3, "test"),
    ("2022-07-15", "test aid pledge", "aid", 2.0, "test"),
    ("2022-08-01", "test vaccine doses", "vaccines", 2.0, "test"),
    ("2022-08-07", "test Mexican election", "mexico_election", 0.5, "test"),
    ("2022-08-15", "test public criticism", "criticism", 1.0, "test"),
    ("2022-09-01", "test grievance", "mexican_grievance", 1.0, "test"),
    ("2022-11-08", "test US election", "us_election", 0.5, "test"),
]


def _write_scenario(
    folder: Path,
    places: list[tuple],
    route_rows: list[tuple],
    origins: list[tuple],
    start: str,
    days: int,
    scale: float,
    seed: int,
    parameters: dict | None,
    events: list[dict] | None,
    record: list[tuple] | None = None,
    drivers: list[tuple] | None = None,
) -> Path:
    """Write the scenario's tables and scenario.yaml; ``record`` rows become its bilateral record and
    ``drivers`` rows (date, group, condition, intensity, source) its origin conditions (none by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(folder / "places.csv", PLACE_COLUMNS, places)
    _write_csv(folder / "routes.csv", ROUTE_COLUMNS, route_rows)
    _write_csv(folder / "origins.csv", ORIGIN_COLUMNS, origins)
    _write_csv(folder / "drivers.csv", ["date", "group", "condition", "intensity", "source"], drivers or [])
    (folder / "policies.yaml").write_text(yaml.safe_dump({"events": events or []}, sort_keys=False))
    config = {
        "name": "tiny",
        "start": start,
        "end": _plus_days(start, days - 1),
        "scale": scale,
        "seed": seed,
        "parameters": parameters or {},
    }
    if record:
        _write_csv(folder / "bilateral_record.csv", RECORD_COLUMNS, record)
        config["bilateral_record"] = "bilateral_record.csv"
    (folder / "scenario.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def _plus_days(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
