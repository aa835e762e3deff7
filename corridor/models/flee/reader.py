"""Read a Flee input folder (input_csv/, source_data/, simsetting.yml) into a FleeInput.

Flee reads its files positionally and crashes (or silently mis-reads) on bad rows; here every
user mistake becomes a ScenarioError naming the file, the 1-based line, the field, what was
found and what was expected, so a broken folder is fixed in one look.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from corridor.models.flee.model import (
    MAX_DAYS,
    Closure,
    FleeInput,
    Location,
    RegistrationCorrection,
    Route,
    Series,
    SimSettings,
)
from corridor.models.flee.observations import interpolate
from corridor.scenario.errors import ScenarioError
from corridor.scenario.files import csv_rows, read_yaml

Model = TypeVar("Model", bound=BaseModel)

LOCATION_COLUMNS = [
    "name",
    "region",
    "country",
    "latitude",
    "longitude",
    "location_type",
    "conflict_date",
    "population",
]
ROUTE_COLUMNS = ["name1", "name2", "distance", "forced_redirection"]
CLOSURE_COLUMNS = ["closure_type", "name1", "name2", "closure_start", "closure_end"]
LOCATION_TYPES = ("camp", "conflict", "forward", "marker", "flood_zone", "default", "town")
CLOSURE_KINDS = ("country", "location", "link", "camp", "idpcamp", "remove_forced_redirection")
# simsetting switches selecting Flee modes this ruleset does not implement
UNSUPPORTED = (
    "conflict_driven_spawning",
    "flood_driven_spawning",
    "read_from_agents_csv_file",
    "fixed_routes",
    "flood_rules_enabled",
)


def read_flee_folder(folder: str | Path, settings_file: str | Path | None = None) -> FleeInput:
    """Parse a Flee conflict folder; ``settings_file`` overrides ``<folder>/simsetting.yml``."""
    folder = Path(folder)
    inputs, sources = folder / "input_csv", folder / "source_data"
    if not folder.is_dir():
        raise ScenarioError(folder, "folder not found", expected="a Flee conflict folder")
    start, days = _read_period(inputs / "sim_period.csv")
    locations = _read_locations(inputs / "locations.csv")
    names = {loc.name for loc in locations}
    countries = {loc.country for loc in locations}
    series = _read_data_layout(sources / "data_layout.csv", names)
    series_names = {s.name for s in series}
    skipped = {fields[0] for _, fields in _rows(sources / "data_layout.csv")} - series_names
    corrections_file = inputs / "registration_corrections.csv"
    return FleeInput(
        name=folder.resolve().name,
        start_date=start,
        days=days,
        settings=read_settings(settings_file or folder / "simsetting.yml"),
        locations=locations,
        routes=_read_routes(inputs / "routes.csv", names),
        closures=_read_closures(inputs / "closures.csv", names, countries),
        conflicts=(
            _read_conflicts(inputs / "conflicts.csv", names)
            if (inputs / "conflicts.csv").exists()
            else _conflicts_from_dates(locations, days)
        ),
        series=series,
        corrections=(_read_corrections(corrections_file, series_names, skipped) if corrections_file.exists() else []),
    )


def read_settings(path: str | Path) -> SimSettings:
    """simsetting.yml sections flattened onto SimSettings; a missing file means Flee defaults."""
    path = Path(path)
    if not path.exists():
        return SimSettings()
    raw = read_yaml(path, "Flee's simsetting.yml") or {}
    if not isinstance(raw, dict):
        raise ScenarioError(
            path, "not a mapping", found=type(raw).__name__, expected="sections move_rules, spawn_rules, optimisations"
        )
    values = {}
    for section in ("move_rules", "spawn_rules", "optimisations"):
        entries = raw.get(section) or {}
        if not isinstance(entries, dict):
            raise ScenarioError(path, "section is not a mapping", key=section, found=entries)
        for key, value in entries.items():
            if key in UNSUPPORTED and value:
                raise ScenarioError(
                    path,
                    "Flee mode not supported by corridor's flee ruleset",
                    key=f"{section}.{key}",
                    found=value,
                    expected="false or absent",
                )
            if key in SimSettings.model_fields:
                values[key] = value
    return validated(SimSettings, values, path)


def validated(model: type[Model], values: dict, path: Path, line: int | None = None, key: str | None = None) -> Model:
    """``model(**values)``, or a ScenarioError at the file's row (or YAML key) and the field at fault."""
    try:
        return model(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        found = values.get(str(first["loc"][0])) if first["loc"] else None
        declared = model.model_fields.get(str(first["loc"][0])) if first["loc"] else None
        expected = declared.description if declared else None
        if line is None:
            raise ScenarioError(
                path,
                first["msg"],
                key=f"{key}.{field}" if key and field else key or field,
                found=found,
                expected=expected,
            ) from None
        raise ScenarioError(path, first["msg"], row=line, field=field, found=found, expected=expected) from None


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped fields) of non-empty rows, comments included."""
    for line, fields in csv_rows(path, "a file in the Flee folder layout"):
        fields = [f.strip() for f in fields]
        if any(fields):
            yield line, fields


def _data_rows(path: Path, columns: list[str], needed: int) -> Iterator[tuple[int, list[str], list[str]]]:
    """Data rows with at least ``needed`` fields, plus the column names (extras from '#' header)."""
    header = list(columns)
    for line, fields in _rows(path):
        if fields[0].startswith("#"):
            header = list(columns) + fields[len(columns) :]
            continue
        if len(fields) < needed:
            raise ScenarioError(
                path,
                "missing column",
                row=line,
                field=columns[len(fields)],
                found=",".join(fields),
                expected=f"columns {','.join(columns[:needed])}",
            )
        yield line, fields, header


def parse_number(path: Path, line: int, field: str, text: str, kind=float, empty=None):
    if text == "" and empty is not None:
        return empty
    try:
        value = kind(float(text)) if kind is int and "." in text else kind(text)
    except (ValueError, OverflowError):
        raise ScenarioError(
            path,
            "not a number",
            row=line,
            field=field,
            found=text,
            expected="an integer" if kind is int else "a number",
        ) from None
    if not math.isfinite(value):
        raise ScenarioError(path, "not a finite number", row=line, field=field, found=text, expected="a number")
    return value


def parse_date(path: Path, line: int, field: str, text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ScenarioError(path, "bad date", row=line, field=field, found=text, expected="a date YYYY-MM-DD") from None


def known_name(
    path: Path, line: int, field: str, name: str, names: set[str], what="location", source="locations.csv"
) -> str:
    if name not in names:
        raise ScenarioError(
            path, f"unknown {what}", row=line, field=field, found=name, expected=f"a {what} named in {source}"
        )
    return name


def _read_period(path: Path) -> tuple[dt.date, int]:
    found = {fields[0]: (line, fields) for line, fields in _rows(path)}
    for key in ("StartDate", "Length"):
        if key not in found or len(found[key][1]) < 2:
            raise ScenarioError(path, "missing row", key=key, expected="rows StartDate,<date> and Length,<days>")
    line, fields = found["StartDate"]
    start = parse_date(path, line, "StartDate", fields[1])
    line, fields = found["Length"]
    days = parse_number(path, line, "Length", fields[1], int)
    if not 1 <= days <= MAX_DAYS:
        raise ScenarioError(
            path,
            "length out of range",
            row=line,
            field="Length",
            found=days,
            expected=f"a number of days from 1 to {MAX_DAYS}",
        )
    return start, days


def _read_locations(path: Path) -> list[Location]:
    locations, seen = [], set()
    for line, f, header in _data_rows(path, LOCATION_COLUMNS, len(LOCATION_COLUMNS)):
        if f[0] in seen:
            raise ScenarioError(path, "duplicate location", row=line, field="name", found=f[0])
        if not any(t in f[5].lower() for t in LOCATION_TYPES):
            raise ScenarioError(
                path,
                "unknown location type",
                row=line,
                field="location_type",
                found=f[5],
                expected="camp, idpcamp, conflict_zone, town, default, forwarding_hub, marker or flood_zone",
            )
        seen.add(f[0])
        locations.append(
            validated(
                Location,
                dict(
                    name=f[0],
                    region=f[1],
                    country=f[2],
                    latitude=parse_number(path, line, "latitude", f[3], empty=0.0),
                    longitude=parse_number(path, line, "longitude", f[4], empty=0.0),
                    location_type=f[5],
                    conflict_date=parse_number(path, line, "conflict_date", f[6], int, empty=0),
                    population=parse_number(path, line, "population", f[7], int, empty=0),
                    attributes={header[i]: f[i] for i in range(8, min(len(f), len(header)))},
                ),
                path,
                line,
            )
        )
    if not locations:
        raise ScenarioError(path, "no locations", expected="at least one location row")
    return locations


def _read_routes(path: Path, names: set[str]) -> list[Route]:
    routes = []
    for line, f, header in _data_rows(path, ROUTE_COLUMNS, 3):
        routes.append(
            validated(
                Route,
                dict(
                    name1=known_name(path, line, "name1", f[0], names),
                    name2=known_name(path, line, "name2", f[1], names),
                    distance=parse_number(path, line, "distance", f[2]),
                    forced_redirection=parse_number(
                        path, line, "forced_redirection", f[3] if len(f) > 3 else "", int, empty=0
                    ),
                    attributes={header[i]: f[i] for i in range(4, min(len(f), len(header))) if f[i]},
                ),
                path,
                line,
            )
        )
    return routes


def _read_closures(path: Path, names: set[str], countries: set[str]) -> list[Closure]:
    closures = []
    for line, f, _ in _data_rows(path, CLOSURE_COLUMNS, len(CLOSURE_COLUMNS)):
        closure = Closure(
            kind=f[0],
            name1=f[1],
            name2=f[2],
            start=parse_number(path, line, "closure_start", f[3], int),
            end=parse_number(path, line, "closure_end", f[4], int),
        )
        closures.append(check_closure(closure, path, line, names, countries))
    return closures


def check_closure(closure: Closure, path: Path, line: int, names: set[str], countries: set[str]) -> Closure:
    """A closure of a known kind whose names are known locations (or countries)."""
    if closure.kind not in CLOSURE_KINDS:
        raise ScenarioError(
            path,
            "unknown closure type",
            row=line,
            field="closure_type",
            found=closure.kind,
            expected=", ".join(CLOSURE_KINDS),
        )
    if closure.kind == "country":
        known_name(path, line, "name1", closure.name1, countries, "country")
        known_name(path, line, "name2", closure.name2, countries, "country")
    else:
        known_name(path, line, "name1", closure.name1, names)
        if closure.kind in ("link", "remove_forced_redirection"):
            known_name(path, line, "name2", closure.name2, names)
    return closure


def _read_conflicts(path: Path, names: set[str]) -> dict[str, list[float]]:
    """Intensity per day for each column. A column naming no location is left out with a
    warning: Flee 3.1's add_conflict_zone prints an error for it and runs on without it
    (venezuela2022 names 'Distrito Capital' where locations.csv has 'Distrito_Capital')."""
    rows = iter(_rows(path))
    try:
        line, header = next(rows)
    except StopIteration:
        raise ScenarioError(path, "empty file", expected="a header #Day,<location>,...") from None
    return conflict_table(path, line, header, rows, names)


def conflict_table(path: Path, line: int, header: list[str], rows, names: set[str]) -> dict[str, list[float]]:
    """Intensity per day of each header column after the first that names a location (others are
    left out with a warning); ``rows`` yields (line number, fields)."""
    columns = []
    for i, name in enumerate(header):
        if i == 0 or not name:
            continue
        try:
            columns.append((i, known_name(path, line, "header", name, names)))
        except ScenarioError as unknown:
            warnings.warn(unknown.warning(), stacklevel=3)
    table: dict[str, list[float]] = {name: [] for _, name in columns}
    for line, fields in rows:
        for i, name in columns:
            text = fields[i] if i < len(fields) else ""
            table[name].append(parse_number(path, line, name, text, empty=0.0))
    if columns and not table[columns[0][1]]:
        raise ScenarioError(path, "no days", expected="a row per day after the header #Day,<location>,...")
    return table


def _conflicts_from_dates(locations: list[Location], days: int) -> dict[str, list[float]]:
    """Without conflicts.csv, Flee's conflict zones start on their locations.csv conflict_date."""
    return {
        loc.name: [0.0] * min(loc.conflict_date, days) + [1.0] * max(days - loc.conflict_date, 0)
        for loc in locations
        if "conflict" in loc.location_type.lower()
    }


def _read_data_layout(path: Path, names: set[str]) -> list[Series]:
    """The observed series. A series naming no location is left out with a warning, as Flee 3.1
    runs on without it."""
    series = []
    for line, fields in _rows(path):
        if fields[0].startswith("#") or len(fields) < 2:
            continue
        if fields[0] != "total":
            try:
                known_name(path, line, "name", fields[0], names)
            except ScenarioError as unknown:
                warnings.warn(unknown.warning(), stacklevel=2)
                continue
        files = [file for file in fields[1:] if file]
        if not files:
            raise ScenarioError(path, "no series file", row=line, field="file", expected="<name>,<csv file>,...")
        parts = [_read_series(path.parent / file, path, line) for file in files]
        series.append(_sum_series(fields[0], parts))
    if not series:
        raise ScenarioError(path, "no series", expected="rows <camp name>,<csv file>")
    return series


def _read_series(path: Path, layout: Path, layout_line: int) -> list[tuple[dt.date, float]]:
    if not path.exists():
        raise ScenarioError(
            layout,
            "series file is missing",
            row=layout_line,
            field="file",
            found=path.name,
            expected="a csv file in source_data/",
        )
    points = []
    for line, f in _rows(path):
        if f[0].startswith("#") or len(f) < 2 or f[1] == "" or f[0] in ("Date", "DateTime"):
            continue
        points.append((parse_date(path, line, "date", f[0]), parse_number(path, line, "count", f[1])))
    if not points:
        raise ScenarioError(path, "no observations", expected="rows YYYY-MM-DD,<count>")
    return points


def _sum_series(name: str, parts: list[list[tuple[dt.date, float]]]) -> Series:
    """One series; several files are added on the union of their dates (each interpolated)."""
    if len(parts) == 1:
        return Series(name=name, dates=[d for d, _ in parts[0]], counts=[c for _, c in parts[0]])
    dates = sorted({d for part in parts for d, _ in part})
    origin = dates[0]
    days = [(d - origin).days for d in dates]
    total = [0.0] * len(dates)
    for part in parts:
        values = interpolate([(d - origin).days for d, _ in part], [c for _, c in part], days, truncate=False)
        total = [a + b for a, b in zip(total, values, strict=True)]
    return Series(name=name, dates=dates, counts=total)


def _read_corrections(path: Path, series: set[str], skipped: set[str]) -> list[RegistrationCorrection]:
    """Registration corrections; those of a series left out of data_layout.csv go with it."""
    corrections = []
    for line, f in _rows(path):
        if f[0].startswith("#") or len(f) < 2 or f[0] in skipped:
            continue
        corrections.append(
            RegistrationCorrection(
                name=known_name(path, line, "name", f[0], series, "series", "data_layout.csv"),
                date=parse_date(path, line, "date", f[1]),
            )
        )
    return corrections
