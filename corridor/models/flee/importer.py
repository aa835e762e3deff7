"""Flee folder <-> corridor scenario folder (``scenario.yaml`` with ``ruleset: flee``).

The scenario folder holds the same content as the Flee folder, but normalised: named
columns, one observation table, settings in the scenario file. It is what a corridor user
edits and versions; load_flee_scenario gives back the identical FleeInput.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from corridor.models.flee.model import Closure, FleeInput, Location, Route, SimSettings
from corridor.models.flee.reader import (
    LOCATION_COLUMNS,
    ROUTE_COLUMNS,
    check_closure,
    conflict_table,
    known_name,
    parse_date,
    parse_number,
    read_flee_folder,
    validated,
)
from corridor.models.flee.rules import use_rules
from corridor.scenario.errors import ScenarioError
from corridor.scenario.files import csv_records, csv_rows, read_yaml

# an imported scenario's tables: Flee's own columns, plus the attributes Flee keeps in extra columns
TABLES = {
    "places": ("places.csv", [*LOCATION_COLUMNS, "attributes"]),
    "routes": ("routes.csv", [*ROUTE_COLUMNS, "attributes"]),
    "closures": ("closures.csv", ["kind", "name1", "name2", "start", "end"]),
    "observations": ("observations.csv", ["series", "date", "count"]),
    "corrections": ("registration_corrections.csv", ["series", "date"]),
}
CONFLICTS = "conflicts.csv"


def import_flee(folder: str | Path, out: str | Path, flee_rules: str | None = None, force: bool = False) -> Path:
    """Write ``folder`` (Flee layout) as a corridor scenario folder ``out``; return its yaml.
    ``flee_rules`` picks the Flee release the scenario follows (default: FleeInput's). An
    existing ``out`` with files in it is only written over with ``force``."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ScenarioError(out, "a file where the scenario folder should go", expected="a new folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ScenarioError(
            out, "the folder exists and is not empty", expected="a new folder, or --force to replace its files"
        )
    flee = use_rules(read_flee_folder(folder), flee_rules)
    out.mkdir(parents=True, exist_ok=True)
    _write(
        out / "places.csv",
        TABLES["places"][1],
        [
            [
                loc.name,
                loc.region,
                loc.country,
                loc.latitude,
                loc.longitude,
                loc.location_type,
                loc.conflict_date,
                loc.population,
                json.dumps(loc.attributes),
            ]
            for loc in flee.locations
        ],
    )
    _write(
        out / "routes.csv",
        TABLES["routes"][1],
        [[r.name1, r.name2, r.distance, r.forced_redirection, json.dumps(r.attributes)] for r in flee.routes],
    )
    _write(
        out / "closures.csv", TABLES["closures"][1], [[c.kind, c.name1, c.name2, c.start, c.end] for c in flee.closures]
    )
    _write(
        out / "observations.csv",
        TABLES["observations"][1],
        [[s.name, d.isoformat(), c] for s in flee.series for d, c in zip(s.dates, s.counts, strict=True)],
    )
    _write(
        out / "registration_corrections.csv",
        TABLES["corrections"][1],
        [[c.name, c.date.isoformat()] for c in flee.corrections],
    )
    names = list(flee.conflicts)
    length = max((len(v) for v in flee.conflicts.values()), default=0)
    _write(out / CONFLICTS, ["day", *names], [[day, *(flee.conflicts[n][day] for n in names)] for day in range(length)])
    scenario = {
        "ruleset": "flee",
        "flee_rules": flee.flee_rules,
        "name": flee.name,
        "start_date": flee.start_date.isoformat(),
        "days": flee.days,
        "seed": 0,
        "source": str(Path(folder).resolve()),
        "settings": flee.settings.model_dump(),
        "tables": {key: file for key, (file, _) in TABLES.items()} | {"conflicts": CONFLICTS},
    }
    path = out / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    return path


def load_flee_scenario(path: str | Path) -> FleeInput:
    """Read a scenario folder (or its scenario.yaml) written by import_flee. Each table row is
    checked where it is read, so a mistake is reported at its file, row and field."""
    path = Path(path)
    yaml_path = path / "scenario.yaml" if path.is_dir() else path
    spec = read_yaml(yaml_path, "a scenario.yaml written by import-flee")
    if not isinstance(spec, dict):
        raise ScenarioError(yaml_path, "the file must be a mapping of keys to values", found=type(spec).__name__)
    if spec.get("ruleset") != "flee":
        raise ScenarioError(yaml_path, "not a Flee scenario", key="ruleset", found=spec.get("ruleset"), expected="flee")
    folder = yaml_path.parent
    file = {key: folder / name for key, (name, _) in TABLES.items()}
    tables = {key: _read(file[key], TABLES[key][1]) for key in TABLES}
    locations = [
        validated(Location, {**r, "attributes": _attributes(file["places"], line, r)}, file["places"], line)
        for line, r in tables["places"]
    ]
    names, countries = {loc.name for loc in locations}, {loc.country for loc in locations}
    if len(names) < len(locations):
        raise ScenarioError(
            file["places"], "duplicate location names", found=len(locations) - len(names), expected="each name once"
        )
    routes = []
    for line, r in tables["routes"]:
        for field in ("name1", "name2"):
            known_name(file["routes"], line, field, r[field], names)
        routes.append(validated(Route, {**r, "attributes": _attributes(file["routes"], line, r)}, file["routes"], line))
    closures = [
        check_closure(validated(Closure, r, file["closures"], line), file["closures"], line, names, countries)
        for line, r in tables["closures"]
    ]
    series: dict[str, dict] = {}
    for line, row in tables["observations"]:
        entry = series.setdefault(row["series"], {"name": row["series"], "dates": [], "counts": []})
        entry["dates"].append(parse_date(file["observations"], line, "date", row["date"]))
        entry["counts"].append(parse_number(file["observations"], line, "count", row["count"]))
    corrections = [
        {
            "name": known_name(
                file["corrections"], line, "series", r["series"], set(series), "series", "observations.csv"
            ),
            "date": parse_date(file["corrections"], line, "date", r["date"]),
        }
        for line, r in tables["corrections"]
    ]
    conflicts_path = folder / CONFLICTS
    rows = csv_rows(conflicts_path, "a table written by import_flee")
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise ScenarioError(conflicts_path, "the file is empty", expected="a header day,<location>,...") from None
    settings = spec.get("settings") or {}
    if not isinstance(settings, dict):
        raise ScenarioError(yaml_path, "not a mapping", key="settings", found=settings, expected="Flee settings")
    return validated(
        FleeInput,
        dict(
            name=str(spec.get("name", folder.name)),
            start_date=spec.get("start_date"),
            flee_rules=spec.get("flee_rules", FleeInput.model_fields["flee_rules"].default),
            days=spec.get("days"),
            settings=validated(SimSettings, settings, yaml_path, key="settings"),
            locations=locations,
            routes=routes,
            closures=closures,
            conflicts=conflict_table(conflicts_path, header_line, header, rows, names),
            series=list(series.values()),
            corrections=corrections,
        ),
        yaml_path,
    )


def _attributes(path: Path, line: int, row: dict[str, str]) -> dict:
    """The JSON object of a row's 'attributes' field (Flee's extra columns)."""
    try:
        attributes = json.loads(row["attributes"] or "{}")
    except (ValueError, RecursionError):
        attributes = None
    if not isinstance(attributes, dict):
        raise ScenarioError(
            path,
            "not a JSON object",
            row=line,
            field="attributes",
            found=row["attributes"],
            expected='{"column": "value", ...}',
        )
    return attributes


def open_flee(path: str | Path, flee_rules: str | None = None) -> FleeInput:
    """A FleeInput from either a corridor scenario folder/yaml or a Flee input folder;
    ``flee_rules`` overrides the Flee release it follows."""
    path = Path(path)
    if path.suffix in (".yaml", ".yml") or (path / "scenario.yaml").exists():
        return use_rules(load_flee_scenario(path), flee_rules)
    return use_rules(read_flee_folder(path), flee_rules)


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _read(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, record) of each row of a table written by import_flee."""
    columns, records = csv_records(path, "a table written by import_flee")
    missing = [c for c in required if c not in columns]
    if missing:
        raise ScenarioError(
            path, "missing column", row=1, field=missing[0], found=",".join(columns), expected=",".join(required)
        )
    return list(records)
