"""What a fit matches: named observed series (targets), each scored by its MAPE against a run over
a window, and the distance, their weighted mean.

The window runs from January 2019 (where a series starts later, from its first month) to
September 2023; with ``holdout`` the last six months (Apr–Sep 2023) are left out of the fit so
that they can judge the fitted model afterwards. Observed tables are read once, when the targets
are parsed, and travel with them to the workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from corridor import observed as obs
from corridor.report.comparison import simulated_swb_encounters
from corridor.report.monthly import as_table, monthly, summed_to
from corridor.scenario.errors import ScenarioError

FIT_START, FIT_END = pd.Timestamp("2019-01-01"), pd.Timestamp("2023-09-30")
HOLDOUT_MONTHS = 6
HOLDOUT_START = (FIT_END - pd.DateOffset(months=HOLDOUT_MONTHS - 1)).to_period("M").to_timestamp()

LARGEST_NATIONALITIES = 8  # nationalities scored, by their observed total
SMALLEST_SCORED_YEAR = 5_000  # encounters of a nationality in a fiscal year below which the year is not scored
# the network's jungle crossing: the Darien, where Panama counts everyone who comes out
DARIEN_MODE = "foot_jungle"

Compare = Callable[[xr.Dataset, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]


def _one_column(series: pd.Series | xr.DataArray, name: str) -> pd.DataFrame:
    frame = (series.to_series() if isinstance(series, xr.DataArray) else series).to_frame(name)
    return frame.astype("float64")


def _usbp(monthly_ds: xr.Dataset) -> xr.DataArray:
    return monthly_ds["encounters"].sel(component="usbp")


def _against(simulated: Callable[[xr.Dataset], pd.DataFrame]) -> Compare:
    """A target whose observed table already has the simulated table's columns."""
    return lambda monthly_ds, observed: (simulated(monthly_ds), observed)


def _period_figures(monthly_ds: xr.Dataset, figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures quoted over mixed periods (a month, a quarter, a year): each is a column holding
    its total at the month its period ends, next to the simulated total over the same months
    (so the window judges a figure by its last month); a share (repeat encounters) is the simulated
    total over the total it is a share of. Figures the run does not cover whole are left out."""
    months = monthly_ds.indexes["time"]
    measures: dict[str, Callable[[], tuple[pd.Series, pd.Series | None]]] = {
        "apprehensions": lambda: (summed_to(monthly_ds["mx_apprehensions"]).to_series(), None),
        "deportations": lambda: (summed_to(monthly_ds["mx_deportations"]).to_series(), None),
        "transits": lambda: (
            monthly_ds["route_entries"][:, (monthly_ds["route_mode"] == DARIEN_MODE).values].sum("route").to_series(),
            None,
        ),
        "repeat_share": lambda: (
            monthly_ds["repeat_encounters"].to_series(),
            summed_to(monthly_ds["encounters"]).to_series(),
        ),
    }
    measured = {kind: measures[kind]() for kind in figures["kind"].unique()}
    simulated, observed = {}, {}
    for number, figure in figures.iterrows():
        first = figure["period_start"].to_period("M").to_timestamp()
        last = figure["period_end"].to_period("M").to_timestamp()
        if first < months[0] or last > months[-1]:
            continue
        counts, per = measured[figure["kind"]]
        value = float(counts.loc[first:last].sum())
        if per is not None:
            value /= float(per.loc[first:last].sum())
        column = f"{figure['kind']} {first:%Y-%m}..{last:%Y-%m} (figure {number})"
        simulated[column] = pd.Series({last: value})
        observed[column] = pd.Series({last: float(figure["value"])})
    return pd.DataFrame(simulated), pd.DataFrame(observed)


def _fiscal_years(table: pd.DataFrame) -> pd.DataFrame:
    """Fiscal-year (October-September) totals of a monthly table, each held at the month its year ends, so
    the window judges a year by its last month; years the table does not cover whole are left out."""
    year = obs.fiscal_year_of(table.index)
    months = table.groupby(year).size()
    totals = table.groupby(year).sum().loc[months[months == 12].index]
    totals.index = pd.DatetimeIndex([pd.Timestamp(int(fiscal_year), 9, 1) for fiscal_year in totals.index])
    return totals


def _largest_nationalities(component: str) -> Compare:
    """Fiscal-year totals of the largest nationalities (not 'other') at one component (Border Patrol or the
    ports). Monthly counts of a small group swing by hundreds of percent while an under-count costs at most
    100%, so a monthly MAPE by group rewards a fit that starves the small groups; whole years of the groups that
    matter do not. A year in which a nationality counted fewer than SMALLEST_SCORED_YEAR (Colombians at Border
    Patrol in FY2020: about 400) is not scored, for the same reason."""

    def compare(monthly_ds: xr.Dataset, observed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        largest = (
            observed.loc[FIT_START:FIT_END]
            .drop(columns="other", errors="ignore")
            .sum()
            .nlargest(LARGEST_NATIONALITIES)
            .index
        )
        simulated = as_table(summed_to(monthly_ds["encounters"].sel(component=component), "group"))
        observed_years = _fiscal_years(observed[largest])
        return _fiscal_years(simulated[largest]), observed_years.where(observed_years >= SMALLEST_SCORED_YEAR)

    return compare


@dataclass(frozen=True)
class Target:
    """One observed series: where it comes from, how a run is put next to it, and its default
    weight in the distance."""

    description: str
    load: Callable[[], pd.DataFrame]
    compare: Compare
    weight: float


# Weights: Border Patrol's series is the headline and counts twice; the press figures of Mexico
# (INM and UPM count the same events about 2x apart) and the few Darien figures count half.
TARGETS: dict[str, Target] = {
    "total": Target(
        "SW-border encounters, Border Patrol and ports (CBP)",
        lambda: _one_column(obs.sw_border_total(), "total"),
        _against(lambda ds: _one_column(simulated_swb_encounters(ds), "total")),
        1.0,
    ),
    "bp": Target(
        "Border Patrol SW-border encounters (DHS OHSS, from Jan 2019)",
        lambda: _one_column(obs.usbp_sw_total(), "bp"),
        _against(lambda ds: _one_column(summed_to(_usbp(ds)), "bp")),
        2.0,
    ),
    "ofo": Target(
        "encounters at SW-border ports (CBP OFO; total less OHSS Border Patrol before Oct 2021)",
        lambda: _one_column(obs.ofo_sw_total(), "ofo"),
        _against(lambda ds: _one_column(summed_to(ds["encounters"].sel(component="ofo")), "ofo")),
        1.0,
    ),
    "nationality": Target(
        "Border Patrol SW-border encounters of the eight largest nationalities, fiscal-year totals (DHS OHSS)",
        obs.usbp_by_group,
        _largest_nationalities("usbp"),
        1.0,
    ),
    "ports_nationality": Target(
        "encounters at SW-border ports of the eight largest nationalities there, fiscal-year totals (CBP state file "
        "less DHS OHSS Border Patrol)",
        obs.ofo_by_group,
        _largest_nationalities("ofo"),
        1.0,
    ),
    "sector": Target(
        "Border Patrol encounters by sector (DHS OHSS, from Jan 2019)",
        obs.usbp_by_sector,
        _against(lambda ds: as_table(summed_to(_usbp(ds), "sector"))),
        1.0,
    ),
    "demographic": Target(
        "SW-border encounters by demographic (CBP state file, from Oct 2019)",
        obs.sw_border_by_demographic,
        _against(lambda ds: as_table(summed_to(ds["encounters"], "demographic"))),
        1.0,
    ),
    "title": Target(
        "SW-border encounters under Title 8 and Title 42 (CBP, from Oct 2019)",
        obs.sw_border_by_authority,
        _against(lambda ds: as_table(summed_to(ds["encounters"], "authority"))),
        1.0,
    ),
    "mexico": Target(
        "Mexican apprehensions and deportations quoted in the press (UPM, INM)",
        obs.mexico_press_totals,
        _period_figures,
        0.5,
    ),
    "repeat": Target(
        "share of SW-border encounters that were repeat encounters, FY2019 and FY2021 (CBP, secondary summary)",
        obs.repeat_encounter_shares,
        _period_figures,
        1.0,
    ),
    "darien": Target(
        "people coming out of the Darien into Panama (SNM: calendar years, then 2023 press figures)",
        obs.darien_transits,
        _period_figures,
        0.5,
    ),
}
ALL = "all"  # every target except the sum of Border Patrol and ports, which bp and ofo already cover
EVERY_SERIES = tuple(name for name in TARGETS if name != "total")


@dataclass(frozen=True)
class Targets:
    """Targets to match over ``start``..``end`` with their weights.

    A target's MAPE is the mean of its columns' MAPEs (a breakdown's small groups count as much as
    its large ones; for ``mexico`` and ``darien``, the mean error over the figures whose period ends
    in the window); the distance is the weighted mean of the targets' MAPEs."""

    series: tuple[str, ...] = ("total",)
    start: pd.Timestamp = FIT_START
    end: pd.Timestamp = FIT_END
    weights: Mapping[str, float] = field(default_factory=dict)
    observed: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = {name: float(self.weights.get(name, TARGETS[name].weight)) for name in self.series}
        object.__setattr__(self, "weights", weights)
        if set(self.observed) != set(self.series):
            object.__setattr__(self, "observed", {name: TARGETS[name].load() for name in self.series})

    @classmethod
    def parse(cls, spec: str, holdout: bool = False) -> Targets:
        """``"total"``, ``"bp,ofo:0.5,nationality"`` (a weight after a colon replaces the default)
        or ``"all"``; ``holdout`` ends the window before Apr 2023."""
        series: list[str] = []
        weights: dict[str, float] = {}
        for part in (part.strip() for part in spec.split(",")):
            name, _, weight = part.partition(":")
            names = EVERY_SERIES if name == ALL else (name,) if name else ()
            if any(one not in TARGETS for one in names) or (weight and not _is_weight(weight)):
                raise ScenarioError(
                    "--target",
                    "unknown target",
                    found=part,
                    expected=f"'{ALL}' or a comma-separated list of {list(TARGETS)}, each with an optional :weight",
                )
            series += [one for one in names if one not in series]
            weights.update({one: float(weight) for one in names if weight})
        if not series:
            raise ScenarioError("--target", "no target given", found=spec, expected=f"one or more of {list(TARGETS)}")
        end = HOLDOUT_START - pd.Timedelta(days=1) if holdout else FIT_END
        return cls(tuple(series), FIT_START, end, weights)

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
        return Targets(self.series, start, end, self.weights, self.observed)

    def scores(self, ds: xr.Dataset) -> dict[str, float]:
        """Each target's MAPE (percent) for the run ``ds`` (daily results); inf where no month scores."""
        monthly_ds = monthly(ds)
        return {name: self._mape(*TARGETS[name].compare(monthly_ds, self.observed[name])) for name in self.series}

    def distance_of(self, scores: Mapping[str, float]) -> float:
        """The weighted mean of the targets' MAPEs."""
        total = sum(self.weights.values())
        return float(sum(self.weights[name] * scores[name] for name in self.series) / total)

    def distance(self, ds: xr.Dataset) -> float:
        """The weighted mean MAPE (percent) of the run ``ds`` (daily results) against the targets."""
        return self.distance_of(self.scores(ds))

    def periods(self) -> dict[str, str]:
        """The months each target can be scored on within the window, 'YYYY-MM..YYYY-MM' (a figure
        quoted over a period counts when its whole period lies in the window)."""
        periods = {}
        for name in self.series:
            observed = self.observed[name]
            if "period_start" in observed:
                inside = observed[(observed["period_start"] >= self.start) & (observed["period_end"] <= self.end)]
                first, last = inside["period_start"].min(), inside["period_end"].max()
            else:
                months = observed.dropna(how="all").loc[self.start : self.end].index
                first, last = (months.min(), months.max()) if len(months) else (pd.NaT, pd.NaT)
            periods[name] = "none" if pd.isna(first) else f"{first:%Y-%m}..{last:%Y-%m}"
        return periods

    def mape_table(self, scores: Mapping[str, float]) -> pd.DataFrame:
        """Target, period, weight and MAPE (percent): the table fit and calibration reports show."""
        periods = self.periods()
        rows = {
            name: {"period": periods[name], "weight": self.weights[name], "MAPE %": scores[name]}
            for name in self.series
        }
        table = pd.DataFrame(rows).T.rename_axis("target")
        table.loc["distance (weighted mean)"] = {
            "period": "",
            "weight": float("nan"),
            "MAPE %": self.distance_of(scores),
        }
        return table

    def _mape(self, simulated: pd.DataFrame, observed: pd.DataFrame) -> float:
        scores = [
            obs.mape(simulated[column], observed[column].astype("float64"), self.start, self.end)
            for column in observed.columns
            if column in simulated
        ]
        scores = [score for score in scores if not np.isnan(score)]
        return float(np.mean(scores)) if scores else float("inf")


def _is_weight(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def swb_series(ds: xr.Dataset) -> pd.Series:
    """Simulated SW-border total per month: what fit reports and the hold-out table compare."""
    return simulated_swb_encounters(monthly(ds)).to_series()
