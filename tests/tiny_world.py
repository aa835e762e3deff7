"""A tiny US–Mexico world for fast mechanism tests: one origin, three Mexican places, one border city,
one Border Patrol sector, and the routes between them.

Tests build a scenario folder with :func:`tiny_world` and run it through the public ``simulate``, so a
phase is tested in the model it belongs to, in about a second, instead of the four-year scenario.

    origin ──bus──> Tapachula ──bus (checkpoints)──> Mexico City ──bus (checkpoints)──> Ciudad Juarez
                                                                                     ├─foot─> El Paso sector
                                                                                     └─port─> El Paso sector
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import yaml

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
) -> Path:
    """Write a tiny scenario into ``folder`` and return it. ``parameters`` are lever values (the
    scenario's ``parameters:`` block); ``events`` are policy events (policies.yaml entries)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(
        folder / "places.csv", ["name", "kind", "country", "lat", "lon", "sector", "decompression_destination"], PLACES
    )
    _write_csv(
        folder / "routes.csv",
        ["from", "to", "mode", "distance_km", "flow", "entry", "checkpoints"],
        routes(checkpoints),
    )
    _write_csv(
        folder / "origins.csv",
        [
            "group",
            "place",
            "share",
            "single_adult",
            "family",
            "unaccompanied_child",
            "daily_departures",
            "smuggler_share",
        ],
        [("guatemala", "Origin City", 1.0, 0.6, 0.3, 0.1, daily_departures, 0.5)],
    )
    _write_csv(
        folder / "drivers.csv", ["date", "group", "push", "source"], [("2022-01-01", "all", 1.0, "reference level")]
    )
    (folder / "policies.yaml").write_text(yaml.safe_dump({"events": events or []}, sort_keys=False))
    config = {
        "name": "tiny",
        "start": "2022-01-01",
        "end": _plus_days("2022-01-01", days - 1),
        "scale": scale,
        "seed": seed,
        "parameters": parameters or {},
    }
    (folder / "scenario.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def _plus_days(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
