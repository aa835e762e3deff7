"""Observed camp counts per simulated day, prepared the way Flee prepares them.

Flee's DataTable scales counts by 1/hasten, rescales level-1 registrations before each
registration-correction date, interpolates linearly between dates (holding the end values)
and truncates to int. Spawning and the validation metric both read these daily values, so
they are computed once here as a (series x day) matrix.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from corridor.models.flee.model import FleeInput
from corridor.scenario.errors import ScenarioError


def interpolate(days: ArrayLike, values: ArrayLike, at: ArrayLike, truncate: bool = True) -> np.ndarray:
    """Flee's get_interpolated_data at each day in ``at`` (first/last value held outside)."""
    x = np.asarray(days, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    x_at = np.asarray(at, dtype=np.float64)
    upper = np.searchsorted(x, x_at, side="right")  # first point strictly after the day
    inside = (upper > 0) & (upper < x.size)
    out = np.where(upper == 0, y[0], y[-1])
    hi = upper[inside]
    lo = hi - 1
    fraction = (x_at[inside] - x[lo]) / (x[hi] - x[lo])
    out[inside] = y[lo] + fraction * (y[hi] - y[lo])
    return np.trunc(out) if truncate else out


def daily_observations(flee: FleeInput, n_days: int | None = None) -> tuple[list[str], np.ndarray]:
    """Series names and a (series, day) float matrix of Flee's observed counts."""
    n_days = flee.days if n_days is None else n_days
    names, rows = [], []
    for series in flee.series:
        days = np.array([(d - flee.start_date).days for d in series.dates], dtype=np.float64)
        order = np.argsort(days, kind="stable")
        days = days[order]
        counts = np.asarray(series.counts, dtype=np.float64)[order] / flee.settings.hasten
        for correction in flee.corrections:
            if correction.name == series.name:
                _correct_registration(days, counts, (correction.date - flee.start_date).days, series.name)
        names.append(series.name)
        rows.append(interpolate(days, counts, np.arange(n_days)))
    return names, np.array(rows).reshape(len(names), n_days)


def _correct_registration(days: np.ndarray, counts: np.ndarray, day: int, name: str) -> None:
    """Scale counts before a level-2 switch so the series has no artificial jump."""
    if day < 0:
        return  # Flee ignores corrections dated before the simulation starts
    for i in np.flatnonzero(days == day):
        if i == 0:
            continue
        if counts[i - 1] <= 0:
            raise ScenarioError(
                "registration_corrections.csv",
                "level-1 count before the correction date is 0, cannot rescale",
                key=name,
                found=counts[i - 1],
                expected="a positive count",
            )
        counts[:i] *= counts[i] / counts[i - 1]
