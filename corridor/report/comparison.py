"""Simulated counterparts of the observed series, and how far apart they are."""

from __future__ import annotations

import math

import pandas as pd
import xarray as xr

from corridor.observed import SECTORS, fiscal_year_window, mape, sw_border_total
from corridor.report.ensemble import ENSEMBLE_DIM, central, member_labels
from corridor.report.monthly import monthly, summed_to
from corridor.results.forecast import FORECAST_COORD, POSTERIOR_BAND

POSTERIOR_COLUMNS = ("5%", "95%")  # the levels of the posterior band (POSTERIOR_LEVELS) a monthly table shows

FIT_FISCAL_YEARS = (2021, 2022, 2023)
FIT_WINDOW = f"FY{FIT_FISCAL_YEARS[0]}-FY{FIT_FISCAL_YEARS[-1]}"


def simulated_swb_encounters(monthly_ds: xr.Dataset) -> xr.DataArray:
    """All simulated SW-border encounters per month (every sector, component, group, title)."""
    return summed_to(monthly_ds["encounters"])


def _destination_sector(route: str) -> str:
    """'Tijuana->San Diego sector (foot_desert)' -> 'san_diego'."""
    destination = route.split("->")[-1].split(" (")[0].strip().lower()
    return destination.removesuffix(" sector").replace(" ", "_")


def crossing_routes(routes: list[str]) -> list[str]:
    """Routes that end in a US Border Patrol sector: the ones whose deaths IOM files under its
    US–Mexico border-crossing route."""
    return [route for route in routes if "->" in route and _destination_sector(route) in SECTORS]


def monthly_table(ds: xr.Dataset) -> pd.DataFrame:
    """Simulated (ensemble median if any) vs observed SWB encounters per month, with the
    absolute percentage error and whether the month is a forecast; observed is NaN outside
    Oct 2019 – Sep 2023. With the scenario's posterior band, its 5% and 95% as well."""
    monthly_ds = monthly(ds)
    simulated = central(simulated_swb_encounters(monthly_ds)).to_series()
    observed = sw_border_total().astype("float64").reindex(simulated.index)
    table = pd.DataFrame({"simulated": simulated, "observed": observed})
    table["abs_pct_error"] = (table["simulated"] - table["observed"]).abs() / table["observed"] * 100
    flags = monthly_ds.coords.get(FORECAST_COORD)
    table["forecast"] = flags.to_numpy() if flags is not None else False
    if POSTERIOR_BAND in monthly_ds:
        for level in POSTERIOR_COLUMNS:
            table[f"posterior {level}"] = monthly_ds[POSTERIOR_BAND].sel(level=level).to_series()
    table.index.name = "month"
    return table


def compared_months(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`monthly_table` a report shows: months with an observation, then the forecast."""
    return table[table["observed"].notna() | table["forecast"]]


def mape_by_window(simulated: pd.Series, observed: pd.Series) -> dict[str, float]:
    """MAPE (percent) over the fit window FY2021–FY2023, then for each of its years;
    NaN for a window the simulated series does not cover."""
    whole_window = fiscal_year_window(FIT_FISCAL_YEARS[0], FIT_FISCAL_YEARS[-1])
    summary = {FIT_WINDOW: mape(simulated, observed, *whole_window)}
    for year in FIT_FISCAL_YEARS:
        summary[f"FY{year}"] = mape(simulated, observed, *fiscal_year_window(year, year))
    return summary


def mape_summary(ds: xr.Dataset) -> dict[str, float]:
    """Fit of simulated SW-border encounters to CBP's totals, keyed by fiscal-year window."""
    table = monthly_table(ds)
    return mape_by_window(table["simulated"], table["observed"])


def mape_table(ds: xr.Dataset) -> pd.DataFrame:
    """MAPE (percent) per fit window (columns) of a run, or of an ensemble's median series followed
    by each member, labelled by its seed (rows)."""
    monthly_ds = monthly(ds)
    if ENSEMBLE_DIM not in monthly_ds.dims:
        return pd.DataFrame({"run": mape_summary(monthly_ds)}).T
    rows = {"median of members": mape_summary(monthly_ds)}
    for number, label in enumerate(member_labels(monthly_ds)):
        rows[label] = mape_summary(monthly_ds.isel({ENSEMBLE_DIM: number}))
    return pd.DataFrame(rows).T


def format_mape(value: float) -> str:
    """A MAPE as report text; "n/a" when the run does not cover the window."""
    return "n/a" if math.isnan(value) else f"{value:.1f}%"
