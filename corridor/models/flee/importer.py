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
from pydantic import ValidationError

from corridor.models.flee.model import FleeInput
from corridor.models.flee.reader import read_flee_folder
from corridor.models.flee.rules import use_rules
from corridor.scenario.errors import ScenarioError

TABLES = {
    "places": ("places.csv", ["name", "region", "country", "latitude", "longitude",
                              "location_type", "conflict_date", "population", "attributes"]),
    "routes": ("routes.csv", ["name1", "name2", "distance", "forced_redirection", "attributes"]),
    "closures": ("closures.csv", ["kind", "name1", "name2", "start", "end"]),
    "observations": ("observations.csv", ["series", "date", "count"]),
    "corrections": ("registration_corrections.csv", ["series", "date"]),
}
CONFLICTS = "conflicts.csv"


def import_flee(folder: str | Path, out: str | Path, flee_rules: str | None = None) -> Path:
    """Write ``folder`` (Flee layout) as a corridor scenario folder ``out``; return its yaml.
    ``flee_rules`` picks the Flee release the scenario follows (default: FleeInput's)."""
    flee = use_rules(read_flee_folder(folder), flee_rules)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "places.csv", TABLES["places"][1],
           [[l.name, l.region, l.country, l.latitude, l.longitude, l.location_type,
             l.conflict_date, l.population, json.dumps(l.attributes)] for l in flee.locations])
    _write(out / "routes.csv", TABLES["routes"][1],
           [[r.name1, r.name2, r.distance, r.forced_redirection, json.dumps(r.attributes)]
            for r in flee.routes])
    _write(out / "closures.csv", TABLES["closures"][1],
           [[c.kind, c.name1, c.name2, c.start, c.end] for c in flee.closures])
    _write(out / "observations.csv", TABLES["observations"][1],
           [[s.name, d.isoformat(), c] for s in flee.series for d, c in zip(s.dates, s.counts)])
    _write(out / "registration_corrections.csv", TABLES["corrections"][1],
           [[c.name, c.date.isoformat()] for c in flee.corrections])
    names = list(flee.conflicts)
    length = max((len(v) for v in flee.conflicts.values()), default=0)
    _write(out / CONFLICTS, ["day", *names],
           [[day, *(flee.conflicts[n][day] for n in names)] for day in range(length)])
    scenario = {
        "ruleset": "flee", "flee_rules": flee.flee_rules, "name": flee.name,
        "start_date": flee.start_date.isoformat(),
        "days": flee.days, "seed": 0, "source": str(Path(folder).resolve()),
        "settings": flee.settings.model_dump(),
        "tables": {key: file for key, (file, _) in TABLES.items()} | {"conflicts": CONFLICTS},
    }
    path = out / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    return path


def load_flee_scenario(path: str | Path) -> FleeInput:
    """Read a scenario folder (or its scenario.yaml) written by import_flee."""
    path = Path(path)
    yaml_path = path / "scenario.yaml" if path.is_dir() else path
    if not yaml_path.exists():
        raise ScenarioError(yaml_path, "file is missing", expected="a scenario.yaml")
    spec = yaml.safe_load(yaml_path.read_text()) or {}
    if spec.get("ruleset") != "flee":
        raise ScenarioError(yaml_path, "not a Flee scenario", key="ruleset",
                            found=spec.get("ruleset"), expected="flee")
    folder = yaml_path.parent
    tables = {key: _read(folder / file, TABLES[key][1]) for key, (file, _) in TABLES.items()}
    series: dict[str, dict] = {}
    for row in tables["observations"]:
        entry = series.setdefault(row["series"], {"name": row["series"], "dates": [], "counts": []})
        entry["dates"].append(row["date"])
        entry["counts"].append(row["count"])
    conflicts = _read(folder / CONFLICTS, ["day"])
    try:
        return FleeInput(
            name=spec.get("name", folder.name), start_date=spec.get("start_date"),
            flee_rules=spec.get("flee_rules", FleeInput.model_fields["flee_rules"].default),
            days=spec.get("days"), settings=spec.get("settings") or {},
            locations=[{**r, "attributes": json.loads(r["attributes"] or "{}")} for r in tables["places"]],
            routes=[{**r, "attributes": json.loads(r["attributes"] or "{}")} for r in tables["routes"]],
            closures=tables["closures"],
            conflicts={n: [float(r[n]) for r in conflicts] for n in (conflicts[0] if conflicts else {})
                       if n != "day"},
            series=list(series.values()),
            corrections=[{"name": r["series"], "date": r["date"]} for r in tables["corrections"]],
        )
    except (ValidationError, ValueError) as exc:
        raise ScenarioError(yaml_path, f"invalid Flee scenario content: {exc}") from None


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


def _read(path: Path, required: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        raise ScenarioError(path, "file is missing", expected="a table written by import_flee")
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ScenarioError(path, "missing column", row=1, field=missing[0],
                                found=",".join(reader.fieldnames or []),
                                expected=",".join(required))
        return list(reader)
