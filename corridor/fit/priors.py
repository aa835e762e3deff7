"""Priors: the levers a calibration may move and the range it searches, read from the scenario
folder's ``priors.yaml`` so that what is fitted is declared next to the data it is fitted to."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import optuna
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from corridor.levers import ParameterSet
from corridor.runner import assemble
from corridor.scenario.errors import ScenarioError
from corridor.scenario.files import read_yaml
from corridor.scenario.load import Scenario, load_scenario

PRIORS_FILE = "priors.yaml"


class Prior(BaseModel):
    """One searched lever (or one entry of an indexed lever), uniform on [low, high] or on its log."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    lever: str = Field(min_length=1)
    where: str | None = Field(None, description="group, place or route name for indexed levers")
    low: float
    high: float
    log: bool = Field(False, description="search log-uniformly (for multipliers spanning decades)")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.log and self.low <= 0:
            raise ValueError("a log-uniform prior needs low > 0")
        return self

    @property
    def key(self) -> str:
        """Parameter name in the study and on the command line: ``lever`` or ``lever[where]``."""
        return self.lever if self.where is None else f"{self.lever}[{self.where}]"

    def suggest(self, trial: optuna.Trial) -> float:
        return trial.suggest_float(self.key, self.low, self.high, log=self.log)


def load_priors(scenario: Scenario | str | Path, path: str | Path | None = None) -> list[Prior]:
    """Read and check the scenario's ``priors.yaml`` (or another priors file, for a fit in
    stages): every lever must exist and every range lie within its bounds. An entry of a stage file
    that names only its lever (and ``where``) takes its range from ``priors.yaml``, so a stage that
    refits some of the levers does not copy their ranges."""
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    path = scenario.folder / PRIORS_FILE if path is None else Path(path)
    raw = read_yaml(path, "a list of {lever, where, low, high, log}")
    if path.resolve() != (scenario.folder / PRIORS_FILE).resolve():
        raw = _with_ranges_of(raw, scenario, path)
    try:
        priors = TypeAdapter(list[Prior]).validate_python(raw)
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(part) for part in first["loc"]]
        row = int(location[0]) + 1 if location and location[0].isdigit() else None
        raise ScenarioError(
            path,
            first["msg"],
            row=row,
            field=".".join(location[1:]) or None,
            found=None if isinstance(first.get("input"), dict) else first.get("input"),
        ) from None
    if not priors:
        raise ScenarioError(path, "no priors declared", expected="at least one lever to fit")
    params = assemble(scenario).run.params
    seen: set[str] = set()
    scheduled = {
        (located.event.lever, located.event.where)
        for located in scenario.timeline_events()
        if located.event.action == "set"
    }
    for row, prior in enumerate(priors, start=1):
        _check(prior, params, path, row, seen)
        if prior.where is not None and not isinstance(scenario.config.parameters.get(prior.lever, {}), dict):
            # the fitted entry could not be written back next to the scenario's single value
            raise ScenarioError(
                path,
                f"lever '{prior.lever}' is one value in scenario.yaml, so it cannot be fitted per entry",
                row=row,
                field="where",
                found=prior.where,
                expected=f"a {{name: value}} mapping for '{prior.lever}' in scenario.yaml",
            )
        if (prior.lever, prior.where) in scheduled or (
            prior.where is None and any(lever == prior.lever for lever, _ in scheduled)
        ):
            # a fitted value is an override, which replaces the lever's dated 'set' events: the fit
            # would then describe another policy history than the scenario's
            raise ScenarioError(
                path,
                f"lever '{prior.lever}' has dated 'set' events in the policy timeline",
                row=row,
                field="lever",
                found=prior.key,
                expected="a lever the timeline does not set (or fit a 'scale' of it instead)",
            )
    return priors


def _with_ranges_of(raw: Any, scenario: Scenario, path: Path) -> Any:
    """A stage file's entries, those without ``low`` and ``high`` given the range of the same lever (and ``where``)
    in the scenario's ``priors.yaml``."""
    if not isinstance(raw, list) or all(isinstance(entry, dict) and "low" in entry for entry in raw):
        return raw  # nothing to inherit; the validation reports anything malformed
    full = {prior.key: prior for prior in load_priors(scenario)}
    entries = []
    for row, entry in enumerate(raw, start=1):
        if isinstance(entry, dict) and "low" not in entry and "high" not in entry and "log" not in entry:
            key = entry.get("lever") if entry.get("where") is None else f"{entry.get('lever')}[{entry.get('where')}]"
            if key not in full:
                raise ScenarioError(
                    path,
                    f"no range for '{key}' here or in {PRIORS_FILE}",
                    row=row,
                    field="lever",
                    found=key,
                    expected=f"low and high, or a lever that {PRIORS_FILE} gives a range",
                )
            entry = full[key].model_dump() | entry
        entries.append(entry)
    return entries


def _check(prior: Prior, params: ParameterSet, path: Path, row: int, seen: set[str]) -> None:
    try:
        lever = params.lookup(prior.lever, path, prior.lever)
        params.position(prior.lever, prior.where, path, prior.key)
    except ScenarioError as error:
        raise ScenarioError(
            path,
            error.problem,
            row=row,
            field="where" if error.found == prior.where else "lever",
            found=error.found,
            expected=error.expected,
        ) from None
    for field in ("low", "high"):
        value = getattr(prior, field)
        if not lever.lo <= value <= lever.hi or math.isnan(value):
            raise ScenarioError(
                path,
                f"outside the bounds of lever '{prior.lever}'",
                row=row,
                field=field,
                found=value,
                expected=f"between {lever.lo} and {lever.hi} ({lever.unit})",
            )
    if prior.key in seen:
        raise ScenarioError(path, "lever declared twice", row=row, field="lever", found=prior.key)
    seen.add(prior.key)


def as_overrides(values: Mapping[str, float], priors: list[Prior]) -> dict[str, float | dict[str, float]]:
    """Turn ``{prior.key: value}`` (a study's parameters) into ``simulate``'s overrides."""
    overrides: dict[str, float | dict[str, float]] = {}
    for prior in priors:
        if prior.key not in values:
            continue
        value = float(values[prior.key])
        if prior.where is None:
            overrides[prior.lever] = value
        else:
            entries = overrides.setdefault(prior.lever, {})
            assert isinstance(entries, dict), f"'{prior.lever}' fitted both whole and per entry"
            entries[prior.where] = value
    return overrides


def scenario_values(scenario: Scenario, priors: list[Prior]) -> dict[str, float]:
    """The values the scenario gives the priors' levers now (clipped into each prior's range):
    the calibration's first trial, so that it starts from the hand-set fit and can only improve."""
    params = assemble(scenario).run.params
    values = {}
    for prior in priors:
        position = params.position(prior.lever, prior.where, scenario.folder / PRIORS_FILE, prior.key)
        value = float(params[prior.lever][0 if position is None else position])
        values[prior.key] = min(max(value, prior.low), prior.high)
    return values


def narrowed_around(priors: list[Prior], values: Mapping[str, float], share: float) -> list[Prior]:
    """Each prior narrowed to ``share`` of its range (of its log for log-uniform ones), centred on ``values`` (the
    scenario's, :func:`scenario_values`) and moved inward where it would leave the range: a posterior near a fitted
    point, for a fit whose budget cannot search the whole box (docs/fit.md). ``share`` in (0, 1]."""
    if not 0 < share <= 1:
        raise ValueError(f"share {share}: a prior can be narrowed to a share in (0, 1] of its range")
    narrowed = []
    for prior in priors:
        to_flat, from_flat = (math.log, math.exp) if prior.log else (float, float)
        low, high, centre = to_flat(prior.low), to_flat(prior.high), to_flat(values[prior.key])
        width = share * (high - low)
        start = min(max(centre - width / 2, low), high - width)
        bounds = {  # back from the log, a bound may round a step past the prior's own
            "low": max(from_flat(start), prior.low),
            "high": min(from_flat(start + width), prior.high),
        }
        narrowed.append(Prior.model_validate(prior.model_dump() | bounds))
    return narrowed
