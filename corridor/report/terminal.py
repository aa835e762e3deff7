"""Rich tables of a run against observed statistics, for the terminal."""

from __future__ import annotations

import pandas as pd
import xarray as xr
from rich.table import Table

from corridor import observed
from corridor.report.comparison import POSTERIOR_COLUMNS, compared_months, format_mape, mape_summary, monthly_table
from corridor.report.monthly import as_table, monthly
from corridor.results.forecast import OBSERVED_UNTIL_ATTR


def monthly_encounters_table(ds: xr.Dataset) -> Table:
    """Simulated vs CBP per observed month, then the forecast months, marked and not scored."""
    table = compared_months(monthly_table(ds))
    summary = mape_summary(ds)
    title = (
        "US southwest-border encounters per month: simulated vs CBP  (MAPE "
        + ", ".join(f"{window} {format_mape(value)}" for window, value in summary.items())
        + "; forecast months: no observed data, not scored)"
    )
    band = [f"posterior {level}" for level in POSTERIOR_COLUMNS]
    with_band = set(band) <= set(table.columns)
    out = Table(title=title, title_justify="left")
    for column in ("month", "simulated", "observed (CBP)", "error") + (("posterior 90% band",) if with_band else ()):
        out.add_column(column, justify="right")
    for month, row in table.iterrows():
        cells = [f"{month:%Y-%m}", f"{row.simulated:,.0f}"]
        if row.forecast:
            cells += ["forecast", ""]
        else:
            cells += [f"{row.observed:,.0f}", f"{row.abs_pct_error:.0f}%"]
        if with_band:
            cells.append("" if pd.isna(row[band[0]]) else f"{row[band[0]]:,.0f} – {row[band[1]]:,.0f}")
        out.add_row(*cells, style="italic" if row.forecast else None)
    if with_band:
        out.caption = "posterior 90% band: the scenario's posterior (posterior.json), one run per particle"
    return out


def fiscal_year_table(ds: xr.Dataset, dimension: str) -> Table:
    """Fiscal-year totals by group, sector or demographic: simulated / observed."""
    month = monthly(ds)
    encounters = month["encounters"]
    if dimension == "sector":
        encounters = encounters.sel(component="usbp")  # OHSS sector counts are Border Patrol only
        observed_frame = observed.usbp_by_sector()
    elif dimension == "group":
        observed_frame = observed.sw_border_by_group()
    else:
        observed_frame = observed.sw_border_by_demographic()
    others = [d for d in encounters.dims if d not in ("time", dimension)]
    simulated = as_table(encounters.sum(others))
    years = observed.fiscal_year_of(observed_frame.index)
    observed_fy = observed_frame.groupby(years).sum()
    simulated_fy = simulated.groupby(observed.fiscal_year_of(simulated.index)).sum()
    common = [fy for fy in observed_fy.index if fy in simulated_fy.index and fy >= 2020]
    out = Table(title=f"Encounters by {dimension} per fiscal year: simulated / observed", title_justify="left")
    out.add_column(dimension, overflow="fold")  # wrapped, never cut ("unaccompanied_child")
    for fy in common:
        out.add_column(f"FY{fy}", justify="right")
    for name in observed_frame.columns.intersection(simulated.columns, sort=False):  # a scenario may model a few
        cells = []
        for fy in common:
            sim, obs = simulated_fy.loc[fy, name], observed_fy.loc[fy, name]
            cells.append(f"{sim / 1000:,.0f}k / {obs / 1000:,.0f}k")
        out.add_row(name, *cells)
    return out


def mexico_table(ds: xr.Dataset) -> Table:
    """Calendar-year Mexican enforcement outcomes and deaths (no official monthly series to compare)."""
    month = monthly(ds)
    frame = pd.DataFrame(
        {
            "apprehended in Mexico": month["mx_apprehensions"].sum("place").to_series(),
            "deported by Mexico": month["mx_deportations"].sum("group").to_series(),
            "of them by land": month["mx_land_returns"].sum("group").to_series(),
            "decompressed south": month["mx_decompressions"].sum("group").to_series(),
            "released in Mexico": month["mx_releases"].sum("group").to_series(),
            "out of money": month["out_of_money"].sum("group").to_series(),
            "deaths (all routes)": month["deaths"].sum("route").to_series(),
            "rescues": month["rescues"].sum("route").to_series(),
        }
    )
    yearly = frame.groupby(pd.DatetimeIndex(frame.index).year).sum()
    title = "Mexico-side outcomes and deaths per calendar year (simulated"
    if OBSERVED_UNTIL_ATTR in ds.attrs:
        title += f"; days after {ds.attrs[OBSERVED_UNTIL_ATTR]} are a forecast"
    out = Table(title=title + ")", title_justify="left")
    # outcomes as rows and years as columns, so that the table fits 80 columns without cutting a number
    out.add_column("outcome", overflow="fold")
    for year in yearly.index:
        out.add_column(str(year), justify="right", no_wrap=True)
    for outcome, values in yearly.T.iterrows():
        out.add_row(str(outcome), *(f"{value:,.0f}" for value in values))
    return out
