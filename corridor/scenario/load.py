"""Read a scenario folder (scenario.yaml + CSV tables + policies.yaml) into typed objects.

Every user mistake becomes one :class:`ScenarioError` naming the file, the row or key, the
field, what was found and what was expected; nothing downstream re-validates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel, ValidationError

from corridor.scenario.errors import ScenarioError
from corridor.scenario.files import csv_records, read_yaml
from corridor.scenario.schema import (
    DEFAULT_RULESET,
    DriverRow,
    OriginRow,
    PlaceRow,
    PolicyEvent,
    PolicyFile,
    RouteRow,
    ScenarioConfig,
)

Row = TypeVar("Row", bound=BaseModel)


@dataclass(frozen=True)
class Scenario:
    folder: Path
    config: ScenarioConfig
    places: list[PlaceRow]
    routes: list[RouteRow]
    origins: list[OriginRow]
    drivers: list[DriverRow]
    policies: list[PolicyEvent]
    schedules: list[PolicyEvent]

    @property
    def groups(self) -> list[str]:
        """Nationality groups in the order of origins.csv."""
        return list(dict.fromkeys(row.group for row in self.origins))

    def content_sha256(self) -> str:
        """SHA-256 of what a run reads: the validated settings and table rows (so a hold-out's
        shortened tables hash differently, and files the run never reads do not count), then the
        bytes of the bilateral record if the scenario names one."""
        digest = hashlib.sha256()
        for field in fields(self):
            value = getattr(self, field.name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, BaseModel):
                    digest.update(item.model_dump_json().encode("utf-8") + b"\0")
        if self.config.bilateral_record:
            digest.update((self.folder / self.config.bilateral_record).read_bytes())
        return digest.hexdigest()

    def data_known_by(self, last_day) -> Scenario:
        """The scenario as seen from ``last_day``: origin-condition knots and scheduled lever values
        dated later are dropped, so both stay at their last known level (a hold-out forecast must not
        see what was observed after it; the policy timeline, known in advance, is kept). A condition
        with no knot by then keeps its name, not yet in force, so levers that name it still apply."""
        last_day = pd.Timestamp(last_day).date()
        known = [row for row in self.drivers if row.date <= last_day]
        unseen = dict.fromkeys(row.condition for row in self.drivers).keys() - {row.condition for row in known}
        known += [
            DriverRow(date=last_day, group="all", condition=name, intensity=0.0, source=f"not in force by {last_day}")
            for name in sorted(unseen)
        ]
        return replace(self, drivers=known, schedules=[row for row in self.schedules if row.date <= last_day])

    def ending_by(self, last_day) -> Scenario:
        """The scenario cut at ``last_day`` if it runs longer: a fit scores no later month, so its
        trials need not simulate them (days before the cut are the same either way)."""
        last_day = pd.Timestamp(last_day).date()
        if self.config.end <= last_day:
            return self
        return replace(self, config=self.config.model_copy(update={"end": last_day}))

    def timeline_events(self) -> list[LocatedEvent]:
        """Every dated lever change with the file and place it came from: policies.yaml's events,
        then the rows of the schedules table."""
        located = []
        if self.config.policies:
            path = self.folder / self.config.policies
            located += [LocatedEvent(event, path, key=f"events[{n}]") for n, event in enumerate(self.policies, 1)]
        if self.config.schedules:
            path = self.folder / self.config.schedules
            located += [LocatedEvent(event, path, row=n) for n, event in enumerate(self.schedules, 2)]
        return located


@dataclass(frozen=True)
class LocatedEvent:
    """A policy event and where the user wrote it (YAML key or CSV row), for error messages."""

    event: PolicyEvent
    file: Path
    key: str | None = None
    row: int | None = None


def load_scenario(path: str | Path):
    """Load the scenario in ``path`` (a folder, or its scenario.yaml)."""
    path = Path(path)
    folder = path.parent if path.is_file() else path
    yaml_path = folder / "scenario.yaml"
    raw = read_yaml(yaml_path)
    if not isinstance(raw, dict):
        raise ScenarioError(yaml_path, "the file must be a mapping of keys to values", found=type(raw).__name__)
    ruleset = raw.get("ruleset", DEFAULT_RULESET)
    if ruleset != DEFAULT_RULESET:  # another model's scenario, in that model's format
        from corridor.models import model_named

        return model_named(ruleset, yaml_path).load(folder)
    config = _validate(ScenarioConfig, raw, yaml_path)
    places = _read_table(folder / config.places, PlaceRow)
    routes = _read_table(folder / config.routes, RouteRow)
    origins = _read_table(folder / config.origins, OriginRow)
    drivers = _read_table(folder / config.drivers, DriverRow, may_be_empty=True)  # no condition at home
    policies: list[PolicyEvent] = []
    if config.policies:
        policy_path = folder / config.policies
        policies = _validate(PolicyFile, read_yaml(policy_path), policy_path, prefix="events").events
    schedules = _read_table(folder / config.schedules, PolicyEvent) if config.schedules else []
    scenario = Scenario(folder, config, places, routes, origins, drivers, policies, schedules)
    _check_references(scenario)
    return scenario


def _validate(model: type[Row], data: Any, path: Path, prefix: str | None = None) -> Row:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(part) for part in first["loc"]]
        row = None
        if prefix and len(location) >= 2 and location[0] == prefix and location[1].isdigit():
            row = int(location[1]) + 1
            location = location[2:]
        raise ScenarioError(
            path,
            first["msg"],
            row=row,
            key=".".join(location) or None,
            found=first.get("input") if not isinstance(first.get("input"), dict) else None,
            expected=_expected(model, location),
        ) from None


def _expected(model: type[BaseModel], location: list[str]) -> str | None:
    field = model.model_fields.get(location[-1]) if location else None
    if field is None:
        return None
    text = str(field.annotation).replace("typing.", "")
    return f"{text}; {field.description}" if field.description else text


def _read_table(path: Path, model: type[Row], may_be_empty: bool = False) -> list[Row]:
    columns, records = csv_records(path, f"a CSV table of {model.__name__}")
    wanted = [field.alias or name for name, field in model.model_fields.items()]
    required = [field.alias or name for name, field in model.model_fields.items() if field.is_required()]
    missing = [name for name in required if name not in columns]
    if missing:
        raise ScenarioError(path, f"missing column '{missing[0]}'", row=1, found=columns, expected=f"columns {wanted}")
    unknown = [name for name in columns if name not in wanted]
    if unknown:
        raise ScenarioError(
            path, f"unknown column '{unknown[0]}'", row=1, found=unknown[0], expected=f"one of {wanted}"
        )
    rows = []
    for line, record in records:
        values = {key: value for key, value in record.items() if value != ""}
        try:
            rows.append(model.model_validate(values))
        except ValidationError as error:
            first = error.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else None
            raise ScenarioError(
                path,
                first["msg"],
                row=line,
                field=field,
                found=record.get(field) if field else None,
                expected=_expected(model, [field] if field else []),
            ) from None
    if not rows and not may_be_empty:
        raise ScenarioError(path, "the table has no rows")
    return rows


def _check_references(scenario: Scenario) -> None:
    """Cross-file checks: every name used in one file is defined in another."""
    folder, config = scenario.folder, scenario.config
    seen: set[str] = set()
    for line, place in enumerate(scenario.places, start=2):
        if place.name in seen:
            raise ScenarioError(
                folder / config.places, "duplicate place name", row=line, field="name", found=place.name
            )
        seen.add(place.name)
    for line, route in enumerate(scenario.routes, start=2):
        for field, name in (("from", route.from_), ("to", route.to)):
            if name not in seen:
                raise ScenarioError(
                    folder / config.routes,
                    "unknown place",
                    row=line,
                    field=field,
                    found=name,
                    expected=f"a name from {config.places}",
                )
    leaving = {route.from_ for route in scenario.routes}
    shares: dict[str, float] = {}
    for line, origin in enumerate(scenario.origins, start=2):
        if origin.place not in seen:
            raise ScenarioError(
                folder / config.origins,
                "unknown place",
                row=line,
                field="place",
                found=origin.place,
                expected=f"a name from {config.places}",
            )
        if origin.place not in leaving:
            raise ScenarioError(
                folder / config.origins,
                "no route leaves this origin",
                row=line,
                field="place",
                found=origin.place,
                expected=f"a place that is the 'from' of a row of {config.routes}",
            )
        shares[origin.group] = shares.get(origin.group, 0.0) + origin.share
        if shares[origin.group] > 1 + 1e-6:
            raise ScenarioError(
                folder / config.origins,
                f"the shares of group '{origin.group}' add up to more than 1",
                row=line,
                field="share",
                found=round(shares[origin.group], 6),
                expected="shares of one group's rows summing to at most 1",
            )
    groups = set(scenario.groups) | {"all"}
    knots: dict[tuple, int] = {}
    for line, driver in enumerate(scenario.drivers, start=2):
        if driver.group not in groups:
            raise ScenarioError(
                folder / config.drivers,
                "unknown group",
                row=line,
                field="group",
                found=driver.group,
                expected=f"one of {sorted(groups)}",
            )
        knot = (driver.condition, driver.group, driver.date)
        if knot in knots:
            raise ScenarioError(
                folder / config.drivers,
                f"condition '{driver.condition}' has two knots for '{driver.group}' on this date",
                row=line,
                field="date",
                found=str(driver.date),
                expected=f"one row per condition, group and date (first at row {knots[knot]})",
            )
        knots[knot] = line
