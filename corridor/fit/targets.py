"""What a calibration minimises: the MAPE between a run's monthly series and CBP's, over a window.

The fit window is FY2021–FY2023; with ``holdout`` the last six months of the shared series
(Apr–Sep 2023) are left out of the fit so that they can judge the fitted model afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from corridor import observed as obs
from corridor.report.comparison import FIT_FISCAL_YEARS, simulated_swb_encounters
from corridor.report.monthly import as_table, monthly, summed_to
from corridor.scenario.errors import ScenarioError

FIT_START, FIT_END = obs.fiscal_year_window(FIT_FISCAL_YEARS[0], FIT_FISCAL_YEARS[-1])
HOLDOUT_MONTHS = 6
HOLDOUT_START = (FIT_END - pd.DateOffset(months=HOLDOUT_MONTHS - 1)).to_period("M").to_timestamp()


def _total(monthly_ds: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    simulated = simulated_swb_encounters(monthly_ds).to_series().to_frame("total")
    return simulated, obs.sw_border_total().to_frame("total")


def _group(monthly_ds: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    return as_table(summed_to(monthly_ds["encounters"], "group")), obs.sw_border_by_group()


def _sector(monthly_ds: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """USBP only: the OHSS sector file has no port-of-entry encounters."""
    usbp = monthly_ds["encounters"].sel(component="usbp")
    return as_table(summed_to(usbp, "sector")), obs.usbp_by_sector()


# the network's jungle crossing: the Darien, where Panama counts everyone who comes out
DARIEN_MODE = "foot_jungle"

# what the run counts, per month, for each kind of figure quoted over a period
PERIOD_MEASURES: dict[str, Callable[[xr.Dataset], pd.Series]] = {
    "apprehensions": lambda monthly_ds: summed_to(monthly_ds["mx_apprehensions"]).to_series(),
    "deportations": lambda monthly_ds: summed_to(monthly_ds["mx_deportations"]).to_series(),
    "transits": lambda monthly_ds: (
        monthly_ds["route_entries"][:, (monthly_ds["route_mode"] == DARIEN_MODE).values].sum("route").to_series()
    ),
}


def _period_figures(monthly_ds: xr.Dataset, figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures quoted over mixed periods (a month, a quarter, a year): each is a column holding
    its total at the month its period ends, next to the simulated total over the same months
    (so the window judges a figure by its last month). Figures the run does not cover whole are
    left out."""
    months = monthly_ds.indexes["time"]
    measured = {kind: PERIOD_MEASURES[kind](monthly_ds) for kind in figures["kind"].unique()}
    simulated, observed = {}, {}
    for number, figure in figures.iterrows():
        first = figure["period_start"].to_period("M").to_timestamp()
        last = figure["period_end"].to_period("M").to_timestamp()
        if first < months[0] or last > months[-1]:
            continue
        series = measured[figure["kind"]]
        column = f"{figure['kind']} {first:%Y-%m}..{last:%Y-%m} (figure {number})"
        simulated[column] = pd.Series({last: float(series.loc[first:last].sum())})
        observed[column] = pd.Series({last: float(figure["value"])})
    return pd.DataFrame(simulated), pd.DataFrame(observed)


def _mexico(monthly_ds: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mexican apprehensions and deportations quoted in the press."""
    return _period_figures(monthly_ds, obs.mexico_press_totals())


def _darien(monthly_ds: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Darien transits counted by Panama: calendar years, then 2023 periods from the press."""
    return _period_figures(monthly_ds, obs.darien_transits())


# series name -> (simulated, observed) monthly tables with matching columns
SERIES: dict[str, Callable[[xr.Dataset], tuple[pd.DataFrame, pd.DataFrame]]] = {
    "total": _total,
    "group": _group,
    "sector": _sector,
    "mexico": _mexico,
    "darien": _darien,
}


@dataclass(frozen=True)
class Targets:
    """Observed series to match (``total``, ``group``, ``sector``, ``mexico``, ``darien``) and the
    months to match them on.

    The distance is the mean over series of the MAPE (percent); a breakdown's MAPE is the mean
    of its columns' MAPEs, so a small group counts as much as a large one (for ``mexico``
    and ``darien``, the mean error over the figures whose period ends in the window)."""

    series: tuple[str, ...] = ("total",)
    start: pd.Timestamp = FIT_START
    end: pd.Timestamp = FIT_END

    @classmethod
    def parse(cls, spec: str, holdout: bool = False) -> Targets:
        """``"total"`` or ``"total,group,sector,mexico,darien"``; ``holdout`` ends the window before Apr 2023."""
        series = tuple(part.strip() for part in spec.split(",") if part.strip())
        unknown = [name for name in series if name not in SERIES]
        if unknown or not series:
            raise ScenarioError(
                "--target", "unknown target series", found=spec, expected=f"a comma-separated list of {sorted(SERIES)}"
            )
        end = HOLDOUT_START - pd.Timedelta(days=1) if holdout else FIT_END
        return cls(series, FIT_START, end)

    def clipped_to(self, first_day: dt.date, last_day: dt.date) -> Targets:
        """The same targets over the part of the window a scenario simulates (short test scenarios)."""
        start, end = max(self.start, pd.Timestamp(first_day)), min(self.end, pd.Timestamp(last_day))
        if start >= end:
            raise ScenarioError(
                "scenario.yaml",
                "the scenario does not cover the fit window",
                found=f"{first_day:%Y-%m-%d}..{last_day:%Y-%m-%d}",
                expected=f"a period overlapping {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}",
            )
        return Targets(self.series, start, end)

    def distance(self, ds: xr.Dataset) -> float:
        """Mean MAPE (percent) of the run ``ds`` (daily results) against the target series."""
        monthly_ds = monthly(ds)
        return float(np.mean([self._series_mape(*SERIES[name](monthly_ds)) for name in self.series]))

    def _series_mape(self, simulated: pd.DataFrame, observed: pd.DataFrame) -> float:
        scores = [
            obs.mape(simulated[column], observed[column].astype("float64"), self.start, self.end)
            for column in observed.columns
            if column in simulated
        ]
        scores = [score for score in scores if not np.isnan(score)]
        return float(np.mean(scores)) if scores else float("inf")


def swb_series(ds: xr.Dataset) -> pd.Series:
    """Simulated SW-border total per month: what fit reports and the hold-out table compare."""
    return simulated_swb_encounters(monthly(ds)).to_series()
