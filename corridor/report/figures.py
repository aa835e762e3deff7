"""The report's figures, one function each.

Every function takes the *monthly* results (see ``monthly.monthly``) and whether to draw
observations, and returns an ``Exhibit`` whose caption names the data file the simulation is
judged against; months after the observed data are shaded as a forecast. Figures are built on
``matplotlib.figure.Figure`` directly, which renders with Agg and never touches pyplot's global
state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from corridor import observed as obs
from corridor.report.comparison import (
    FIT_WINDOW,
    crossing_routes,
    format_mape,
    mape_by_window,
    simulated_swb_encounters,
)
from corridor.report.ensemble import BANDS, central, has_spread, quantile
from corridor.report.monthly import summed_to
from corridor.report.style import distinct_colors
from corridor.results.forecast import POSTERIOR_BAND, forecast_start

SIMULATED_COLOR = "tab:blue"
OBSERVED_COLOR = "black"
BAND_ALPHA = {"90%": 0.15, "50%": 0.3}
FORECAST_COLOR = "tab:orange"  # not the grey of the warm-up months
POSTERIOR_COLOR = "tab:green"  # apart from the run (blue), the data (black), forecast (orange), events (purple)
FORECAST_GID = "forecast"
FORECAST_LABEL = "forecast (no observed data, not scored)"
TOP_DEATH_ROUTES = 6
MEXICO_FLOWS = {
    "apprehensions": "mx_apprehensions",
    "deportations": "mx_deportations",
    "decompressions": "mx_decompressions",
    "releases": "mx_releases",
}


@dataclass(frozen=True)
class Exhibit:
    """A finished figure with the caption that tells the reader what it is compared with."""

    title: str
    figure: Figure
    caption: str


def _span(monthly_ds: xr.Dataset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day covered by the run, to clip observations to the simulated period."""
    months = pd.DatetimeIndex(monthly_ds["time"].values)
    return months[0], months[-1] + pd.offsets.MonthEnd(0)


def _source(relative_path: str, observed: bool) -> str:
    """Caption sentence naming the observed file (and saying when it was left out)."""
    drawn = "" if observed else " (not drawn in this report)"
    return f" Observed series: data/{relative_path}{drawn}."


def _draw_simulated(
    ax: Axes, da: xr.DataArray, label: str, color: str = SIMULATED_COLOR, label_bands: bool = True
) -> None:
    """The run (or ensemble median) as a line, with 90% and 50% bands for an ensemble
    (left out of the legend where several series share an axis)."""
    times = da["time"].values
    if has_spread(da):
        for band, (low, high) in BANDS.items():
            ax.fill_between(
                times,
                quantile(da, low).values,
                quantile(da, high).values,
                color=color,
                alpha=BAND_ALPHA[band],
                linewidth=0,
                label=f"{label}, {band} band" if label_bands else None,
            )
    ax.plot(times, central(da).values, color=color, label=label)
    shade_forecast(ax, da)


def shade_forecast(ax: Axes, da: xr.DataArray) -> None:
    """A light orange band, with its legend entry, over the months after the observed data (once per axis)."""
    start = forecast_start(da)
    if start is None or any(patch.get_gid() == FORECAST_GID for patch in ax.patches):
        return
    end = da.indexes["time"][-1]
    ax.axvspan(date2num(start), date2num(end), color=FORECAST_COLOR, alpha=0.12, gid=FORECAST_GID, label=FORECAST_LABEL)


def _draw_observed(ax: Axes, series: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp], label: str) -> None:
    """An observed monthly series as a dashed line, clipped to the simulated period."""
    within = series.loc[span[0] : span[1]]
    ax.plot(within.index, within.to_numpy(), color=OBSERVED_COLOR, linestyle="--", label=label)


def _panel_grid(panels: int, columns: int, title: str, unit: str) -> tuple[Figure, list[Axes]]:
    """A figure with ``panels`` axes on a shared time axis, ``unit`` on the y axis; spare grid cells
    are hidden."""
    rows = math.ceil(panels / columns)
    figure = Figure(figsize=(4 * columns, 2.6 * rows + 0.6), layout="constrained")
    axes = figure.subplots(rows, columns, sharex=True, squeeze=False).ravel()
    for spare in axes[panels:]:
        spare.set_visible(False)
    figure.suptitle(title)
    figure.supylabel(unit, fontsize="medium")
    return figure, list(axes[:panels])


def _small_multiples(
    simulated: xr.DataArray,
    dim: str,
    observed_table: pd.DataFrame | None,
    span: tuple[pd.Timestamp, pd.Timestamp],
    title: str,
    columns: int,
    unit: str = "encounters per month",
) -> Figure:
    """One panel per value of ``dim``, simulated against the matching observed column."""
    names = [str(name) for name in simulated[dim].values]
    figure, axes = _panel_grid(len(names), columns, title, unit)
    for ax, name in zip(axes, names, strict=True):
        _draw_simulated(ax, simulated.sel({dim: name}), "simulated")
        if observed_table is not None and name in observed_table:
            _draw_observed(ax, observed_table[name], span, "observed")
        ax.set_title(name.replace("_", " "), fontsize="medium")
    axes[0].legend(fontsize="x-small")
    return figure


def swb_encounters(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(a) Headline fit: all SW-border encounters per month, with the FY2021–FY2023 MAPE."""
    simulated = simulated_swb_encounters(monthly_ds)
    figure = Figure(figsize=(10, 4), layout="constrained")
    ax = figure.subplots()
    caption = "Encounters (events, not people) at the US Southwest land border, all components and titles."
    if POSTERIOR_BAND in monthly_ds:
        caption += _draw_posterior_band(ax, monthly_ds[POSTERIOR_BAND])
    _draw_simulated(ax, simulated, "simulated")
    title = "Southwest border encounters per month"
    if observed:
        observed_total = obs.sw_border_total()
        _draw_observed(ax, observed_total, _span(monthly_ds), "observed (CBP)")
        score = mape_by_window(central(simulated).to_series(), observed_total)[FIT_WINDOW]
        title += f" — MAPE {FIT_WINDOW}: {format_mape(score)}"
        if POSTERIOR_BAND in monthly_ds:
            caption += _band_coverage(monthly_ds[POSTERIOR_BAND], observed_total)
    ax.set_title(title)
    ax.set_ylabel("encounters per month")
    ax.legend(fontsize="small")
    caption += _source(obs.SWB_TOTALS_FILE + " (sw_total_encounters)", observed)
    return Exhibit(title, figure, caption)


def _draw_posterior_band(ax: Axes, band: xr.DataArray) -> str:
    """The SW-border total's 90% band over the scenario's posterior, in green under the run; its caption sentence."""
    ax.fill_between(
        band["time"].values,
        band.sel(level="5%").values,
        band.sel(level="95%").values,
        color=POSTERIOR_COLOR,
        alpha=0.3,
        linewidth=0,
        label="posterior, 90% band",
    )
    return f" Green: the 90% band of {band.attrs['description']}."


def _band_coverage(band: xr.DataArray, observed_total: pd.Series) -> str:
    """How many observed months the posterior's 90% band holds: a band that misses many leaves out the model's
    own error, which no lever value removes."""
    months = band.to_pandas().join(observed_total.rename("observed"), how="inner").dropna()
    inside = months["observed"].between(months["5%"], months["95%"])
    return (
        f" It holds {int(inside.sum())} of the {len(months)} observed months: what falls outside is the model's own "
        "error, which the band does not carry."
    )


def encounters_by_sector(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(b) Where along the border people are met: Border Patrol encounters per sector."""
    title = "Border Patrol encounters by sector"
    simulated = summed_to(monthly_ds["encounters"].sel(component="usbp"), "sector")
    table = obs.usbp_by_sector() if observed else None
    figure = _small_multiples(simulated, "sector", table, _span(monthly_ds), title, columns=3)
    caption = (
        "Simulated USBP component only (no OFO ports of entry), Title 8 and Title 42 together; "
        "DHS OHSS rounds each month to 10." + _source(obs.OHSS_SECTOR_FILE, observed)
    )
    return Exhibit(title, figure, caption)


def encounters_by_group(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(c) Who is met: SW-border encounters per nationality group."""
    title = "Southwest border encounters by nationality group"
    simulated = summed_to(monthly_ds["encounters"], "group")
    table = obs.sw_border_by_group() if observed else None
    figure = _small_multiples(simulated, "group", table, _span(monthly_ds), title, columns=4)
    caption = "CBP citizenships outside the model's named groups are counted as 'other'." + _source(
        obs.CBP_STATE_FILE + " (Southwest Land Border rows)", observed
    )
    return Exhibit(title, figure, caption)


def encounters_by_demographic(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(d) Single adults, families and unaccompanied children respond to different policies."""
    title = "Southwest border encounters by demographic"
    simulated = summed_to(monthly_ds["encounters"], "demographic")
    table = obs.sw_border_by_demographic() if observed else None
    figure = _small_multiples(simulated, "demographic", table, _span(monthly_ds), title, columns=3)
    caption = "Family = CBP's FMUA plus accompanied minors; unaccompanied child = UC / single minors." + _source(
        obs.CBP_STATE_FILE + " (Southwest Land Border rows)", observed
    )
    return Exhibit(title, figure, caption)


def mexico_enforcement(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(e) Mexico's side of enforcement, checked against the few national figures available."""
    title = "Mexico: apprehensions, deportations, decompressions, releases"
    figure, axes = _panel_grid(len(MEXICO_FLOWS), 2, title, "people per month")
    span = _span(monthly_ds)
    press = obs.mexico_press_monthly_rates() if observed else None
    for ax, (kind, variable) in zip(axes, MEXICO_FLOWS.items(), strict=True):
        _draw_simulated(ax, summed_to(monthly_ds[variable]), "simulated")
        if press is not None:
            quoted = press[(press["kind"] == kind) & press["midpoint"].between(*span)]
            if not quoted.empty:
                ax.hlines(quoted["per_month"], quoted["period_start"], quoted["period_end"], color=OBSERVED_COLOR)
                ax.plot(
                    quoted["midpoint"],
                    quoted["per_month"],
                    "o",
                    color=OBSERVED_COLOR,
                    label="press figure (mean per month over quoted period)",
                )
        ax.set_title(kind, fontsize="medium")
        ax.legend(fontsize="x-small")
    caption = (
        "People per month. Dots are national UPM/INM totals quoted in the press, spread evenly over "
        "the period they cover (horizontal line); they count events and are indicative only."
        + _source(obs.MEXICO_PRESS_FILE, observed)
    )
    return Exhibit(title, figure, caption)


def waiting_by_border_city(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(f) The queue that metering, MPP and Title 42 build up in Mexican border cities."""
    title = "People waiting in Mexican border cities"
    figure = Figure(figsize=(10, 4), layout="constrained")
    ax = figure.subplots()
    cities = monthly_ds["border_city"].values
    for city, color in zip(cities, distinct_colors(len(cities)), strict=True):
        _draw_simulated(ax, monthly_ds["waiting"].sel(border_city=city), str(city), color=color, label_bands=False)
    ax.set_title(title)
    ax.set_ylabel("people (monthly mean)")
    ax.legend(fontsize="x-small", ncol=2)
    caption = (
        "Stock of people waiting per city, monthly mean; for an ensemble, shading spans the 50% and 90% "
        "bands. No public series of this stock is in data/."
    )
    return Exhibit(title, figure, caption)


def deaths_by_route(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(g) Where people die, and whether deaths on the border crossings match IOM's count."""
    title = "Deaths by route"
    deaths = monthly_ds["deaths"]
    figure, (by_route, crossing) = _panel_grid(2, 2, title, "deaths per month")
    totals = central(deaths).sum("time").to_series().sort_values(ascending=False)
    top = totals.index[:TOP_DEATH_ROUTES]
    for route, color in zip(top, distinct_colors(len(top)), strict=True):
        _draw_simulated(by_route, deaths.sel(route=route), str(route), color=color, label_bands=False)
    by_route.set_title(f"top {TOP_DEATH_ROUTES} routes, simulated", fontsize="medium")
    by_route.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(0, -0.08))
    routes = crossing_routes([str(route) for route in deaths["route"].values])
    _draw_simulated(crossing, summed_to(deaths.sel(route=routes)), "simulated, routes into a US sector")
    if observed:
        _draw_observed(crossing, obs.us_mexico_border_deaths(), _span(monthly_ds), "observed (IOM dead + missing)")
    crossing.set_title("US–Mexico border crossing", fontsize="medium")
    crossing.legend(fontsize="x-small")
    caption = (
        "Deaths per month; for an ensemble, shading spans the 50% and 90% bands. Right: sum over routes "
        "ending in a Border Patrol sector against IOM Missing Migrants' US–Mexico border-crossing route, "
        "a minimum count." + _source(obs.IOM_US_MEXICO_FILE, observed)
    )
    return Exhibit(title, figure, caption)


def encounters_by_authority(monthly_ds: xr.Dataset, observed: bool = True) -> Exhibit:
    """(h) Title 42 expulsions against Title 8 processing: the policy switch of Mar 2020 – May 2023."""
    title = "Title 8 and Title 42 encounters"
    simulated = summed_to(monthly_ds["encounters"], "authority")
    table = obs.sw_border_by_authority() if observed else None
    figure = _small_multiples(simulated, "authority", table, _span(monthly_ds), title, columns=2)
    caption = "Southwest border encounters by title of authority." + _source(
        obs.SWB_TOTALS_FILE + " (sw_title8, sw_title42)", observed
    )
    return Exhibit(title, figure, caption)


FIGURES = (
    swb_encounters,
    encounters_by_sector,
    encounters_by_group,
    encounters_by_demographic,
    mexico_enforcement,
    waiting_by_border_city,
    deaths_by_route,
    encounters_by_authority,
)
