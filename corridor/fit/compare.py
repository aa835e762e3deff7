"""Paired comparison of two scenarios: both run with the same seeds, so with the engine's random
streams keyed by seed, decision, day and agent, each pair differs only by the scenario and the
spread of the differences is far narrower than that of either scenario alone."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import xarray as xr
from distributed import Client
from matplotlib.figure import Figure

from corridor.fit.ensemble import ensemble, member_seeds
from corridor.levers import Overrides
from corridor.models import model_for_command
from corridor.report.ensemble import BANDS, quantile
from corridor.report.figures import shade_forecast
from corridor.report.html import MAP_CREDIT, events_html, figure_html, map_figure, report_events, write_html
from corridor.report.map import CorridorMap, Sizes
from corridor.report.monthly import is_level, monthly, summed_to
from corridor.report.style import readable
from corridor.runner import assemble
from corridor.scenario.load import Scenario, load_scenario

# output name -> results variable, summed over everything but time (and the members)
KEY_OUTPUTS = {
    "swb_encounters": "encounters",
    "repeat_encounters": "repeat_encounters",
    "departures": "departures",
    "mx_apprehensions": "mx_apprehensions",
    "mx_deportations": "mx_deportations",
    "waiting": "waiting",
    "deaths": "deaths",
}
SIDES = ("a", "b", "b_minus_a")
ROUTE_TRAFFIC = "route_entries"  # people setting out on each route: kept per route for the comparison's map


def key_outputs(ds: xr.Dataset) -> xr.Dataset:
    """Monthly totals of the outputs a policy question is usually about (means for stocks), over the
    reported period only (from ``report_start``: the warm-up is left out), and each route's people
    setting out over that period. The ``days`` coordinate counts each month's days in that period, so
    that a stock's mean over the period weights its months by them."""
    kept = [*KEY_OUTPUTS.values(), *([ROUTE_TRAFFIC] if ROUTE_TRAFFIC in ds else [])]
    reported = ds[kept].sel(time=slice(ds.attrs.get("report_start"), None))
    monthly_ds = monthly(reported[list(KEY_OUTPUTS.values())])
    days = reported["time"].resample(time="MS").count()
    outputs = {
        name: summed_to(monthly_ds[variable]).assign_attrs(ds[variable].attrs) for name, variable in KEY_OUTPUTS.items()
    }
    if ROUTE_TRAFFIC in reported:
        outputs[ROUTE_TRAFFIC] = reported[ROUTE_TRAFFIC].sum("time").assign_attrs(ds[ROUTE_TRAFFIC].attrs)
    return xr.Dataset(outputs, coords={"days": days})


def check_overrides(overrides: Overrides, scenario: Scenario) -> None:
    """Fail here, with the ``--set`` named, rather than later on a worker, for a bad lever or value."""
    assemble(scenario).run.params.apply_overrides(overrides, Path("--set"))


def compare(
    scenario_a: Scenario | str | Path,
    scenario_b: Scenario | str | Path | None = None,
    n: int = 10,
    overrides: Overrides | None = None,
    client: Client | None = None,
    scale: float | None = None,
    on_member: Callable[[], None] | None = None,
) -> xr.Dataset:
    """Run A and B (B defaults to A; ``overrides`` are applied to B) with the same ``n`` seeds;
    key monthly outputs of the reported period along ``side`` = a, b, b_minus_a and ``ensemble``
    (members). ``on_member`` is called as each of the ``2 n`` runs finishes."""
    origin = scenario_a.folder if isinstance(scenario_a, Scenario) else scenario_a
    scenario_a = scenario_a if isinstance(scenario_a, Scenario) else load_scenario(scenario_a)
    model_for_command("compare", scenario_a, origin)  # a Flee scenario: one line saying why not
    scenario_b = scenario_a if scenario_b is None else scenario_b
    scenario_b = scenario_b if isinstance(scenario_b, Scenario) else load_scenario(scenario_b)
    seeds = member_seeds(scenario_a, n)
    runs = [
        ensemble(
            scenario,
            seeds=seeds,
            parameter_draws=[draw] * n,
            client=client,
            scale=scale,
            reduce=key_outputs,
            on_member=on_member,
        )
        for scenario, draw in ((scenario_a, None), (scenario_b, overrides))
    ]
    return paired(*runs)


def paired(a: xr.Dataset, b: xr.Dataset) -> xr.Dataset:
    """A's and B's key outputs (same seeds) and their difference B − A along ``side``."""
    a, b = xr.align(a, b, join="inner")
    difference = (b - a).assign_attrs(a.attrs)
    for name in difference.data_vars:
        difference[name].attrs = a[name].attrs
    return xr.concat([a, b, difference], dim=pd.Index(SIDES, name="side"), combine_attrs="drop_conflicts")


def period_totals(comparison: xr.Dataset) -> xr.Dataset:
    """Each member's key outputs over the compared period: flows summed, stocks (people present, not
    events) averaged over its days."""
    days = comparison["days"]
    return xr.Dataset(
        {
            name: (comparison[name] * days).sum("time") / days.sum("time")
            if is_level(comparison[name])
            else comparison[name].sum("time")
            for name in KEY_OUTPUTS
        }
    )


def describe_period(comparison: xr.Dataset) -> str:
    """What the difference table's figures are: which months, and how stocks are counted."""
    months = comparison.indexes["time"]
    stocks = [name for name in KEY_OUTPUTS if is_level(comparison[name])]
    return (
        f"totals over {months[0]:%b %Y} to {months[-1]:%b %Y} (the reported period, warm-up left out); "
        f"stocks ({', '.join(stocks)}) are daily means over it, not sums"
    )


def difference_table(comparison: xr.Dataset) -> pd.DataFrame:
    """Per key output over the reported period (see :func:`period_totals`): medians of A and B,
    and the median and 5–95% range of the paired difference, each across the members' totals."""
    totals = period_totals(comparison)
    rows = {}
    for name in KEY_OUTPUTS:
        whole = totals[name]
        median = whole.median("ensemble")
        rows[name] = {
            "A (median)": float(median.sel(side="a")),
            "B (median)": float(median.sel(side="b")),
            "B−A (median)": float(median.sel(side="b_minus_a")),
            "B−A 5%": float(whole.sel(side="b_minus_a").quantile(0.05, "ensemble")),
            "B−A 95%": float(whole.sel(side="b_minus_a").quantile(0.95, "ensemble")),
        }
    return pd.DataFrame(rows).T


def _difference_figure(comparison: xr.Dataset) -> Figure:
    """Per output: A and B medians (left), paired difference with 50% and 90% bands (right)."""
    names = list(KEY_OUTPUTS)
    figure = Figure(figsize=(11, 2.4 * len(names)), layout="constrained")
    axes = figure.subplots(len(names), 2, sharex=True, squeeze=False)
    times = comparison["time"].values
    for (left, right), name in zip(axes, names, strict=True):
        da = comparison[name]
        for side, color in (("a", "tab:gray"), ("b", "tab:blue")):
            left.plot(times, da.sel(side=side).median("ensemble"), color=color, label=side.upper())
        difference = da.sel(side="b_minus_a")
        for band, (low, high) in BANDS.items():
            right.fill_between(
                times,
                quantile(difference, low),
                quantile(difference, high),
                color="tab:red",
                alpha=0.15 if band == "90%" else 0.3,
                linewidth=0,
                label=f"{band} band",
            )
        right.plot(times, difference.median("ensemble"), color="tab:red", label="median B−A")
        right.axhline(0, color="black", linewidth=0.5)
        for ax in (left, right):
            shade_forecast(ax, da)
        label = readable(da.attrs.get("long_name", name.replace("_", " ")))
        unit = "people per month" if da.attrs.get("cell_methods") == "time: sum" else "people (monthly mean)"
        left.set_title(label, fontsize="medium")
        right.set_title(f"{label}: B − A", fontsize="medium")
        left.set_ylabel(unit, fontsize="small")
    axes[0][0].legend(fontsize="x-small")
    axes[0][1].legend(fontsize="x-small")
    return figure


def write_compare_report(
    comparison: xr.Dataset, path: Path, description: Mapping[str, str], scenario: Scenario | None = None
) -> Path:
    """The difference table and figure as one HTML page; ``description`` names A, B and the seeds.
    Given scenario A, its policy events are marked on the time axes and listed."""
    table = f"<p>{html.escape(describe_period(comparison))}</p>" + difference_table(comparison).to_html(
        float_format="{:,.0f}".format
    )
    events = report_events(scenario, comparison)
    figure = figure_html(
        _difference_figure(comparison),
        "Monthly medians of A and B, and the paired difference B − A (same seeds) with its bands.",
        events=events,
    )
    sections = [table, figure, events_html(events)]
    if scenario is not None and ROUTE_TRAFFIC in comparison:
        sections.append(_comparison_map(comparison, CorridorMap.of(scenario)))
    return write_html(path, "Corridor scenario comparison", sections, dict(description))


def _comparison_map(comparison: xr.Dataset, corridor_map: CorridorMap) -> str:
    """The map of B: routes as wide as B's people setting out over the period (members' median), each
    route's tooltip with A's figure and the paired change, circles by the people passing each place in B."""
    months = comparison.indexes["time"]
    period = f"{months[0]:%b %Y} to {months[-1]:%b %Y}"
    median = comparison[ROUTE_TRAFFIC].median("ensemble")
    a, b, change = (median.sel(side=side).to_series() for side in ("a", "b", "b_minus_a"))
    routes = {str(name): float(value) for name, value in b.items()}
    notes = {str(name): f" in B; A {a[name]:,.0f}, B − A {change[name]:+,.0f} (median of pairs)" for name in b.index}
    sizes = Sizes(routes, corridor_map.passing(routes), f"people set out, {period}", f"people passing, {period}", notes)
    legend = (
        f"Scenario B: route width by the people setting out on each route, {period} (median of the members); "
        "hover a route for A's figure and the paired difference. Circle area: people passing each place in B. "
        f"{MAP_CREDIT}"
    )
    return map_figure(corridor_map, sizes, "Map of scenario B", legend)
