"""Where a result came from: the attributes that let a results file name its own run.

Every results Dataset (either ruleset) carries the corridor version, the scenario's name and a
hash of its content, the seed, the scale, the lever overrides and the period, so a file read
months later says which run made it. NetCDF attributes hold only text and numbers, so the
overrides are JSON text. The creation date is added when a file is written (:func:`stamped`),
which keeps a simulated Dataset a pure function of scenario, seed and overrides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version

import xarray as xr


def corridor_version() -> str:
    """The installed corridor's version ("unknown" when run from a source tree never installed)."""
    try:
        return version("corridor")
    except PackageNotFoundError:
        return "unknown"


def run_attributes(
    ruleset: str,
    scenario: str,
    scenario_sha256: str,
    seed: int,
    start: dt.date,
    end: dt.date,
    report_start: dt.date,
    scale: float | None = None,
    overrides: Mapping[str, object] | None = None,
) -> dict[str, str | int | float]:
    """The Dataset attributes of one run; ``scale`` is left out for a ruleset without one."""
    attrs: dict[str, str | int | float] = {
        "corridor_version": corridor_version(),
        "ruleset": ruleset,
        "scenario": scenario,
        "scenario_sha256": scenario_sha256,
        "seed": seed,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "report_start": report_start.isoformat(),
        "overrides": json.dumps(dict(overrides or {}), sort_keys=True, default=float),
    }
    if scale is not None:
        attrs["scale"] = scale
    return attrs


def stamped(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with the time of writing (UTC, ISO 8601) in ``date_created``, the attribute CF-compliant
    tools read."""
    return ds.assign_attrs(date_created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
