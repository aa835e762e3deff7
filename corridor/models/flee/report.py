"""Figures and a self-contained HTML report of a Flee-ruleset validation run, on the reports'
shared page template, with the conflict's map (camps sized by the refugees simulated in them on the
last day)."""

from __future__ import annotations

import html
import math
from pathlib import Path

import xarray as xr
from matplotlib.figure import Figure

from corridor.models.flee.metric import validate
from corridor.models.flee.model import FleeInput
from corridor.report.html import MAP_CREDIT, figure_html, map_figure, write_html
from corridor.report.map import CorridorMap, MapPlace, MapRoute, Sizes, route_name

FLEE_ROUTE_MODE = "road"  # Flee's links have no mode


def camp_figure(ds: xr.Dataset) -> Figure:
    """Simulated vs observed counts, one small panel per camp."""
    camps = [str(c) for c in ds["camp"].values]
    cols = min(4, max(1, len(camps)))
    rows = math.ceil(len(camps) / cols)
    fig = Figure(figsize=(3.2 * cols, 2.4 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
    for ax, camp in zip(axes.flat, camps, strict=False):
        ax.plot(ds["time"].values, ds["obs"].sel(camp=camp).values, color="black", lw=1.2, label="observed")
        ax.plot(ds["time"].values, ds["sim"].sel(camp=camp).values, color="tab:red", lw=1.0, label="simulated")
        ax.set_title(camp, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.tick_params(axis="x", rotation=45)
    for ax in list(axes.flat)[len(camps) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"{ds.attrs.get('conflict', '')}: simulated vs observed camp counts")
    fig.supylabel("refugees in the camp", fontsize="medium")
    return fig


def conflict_map(flee: FleeInput, ds: xr.Dataset) -> str:
    """The locations and links of ``flee`` on the basemap, each camp's circle as large as the refugees
    the run ``ds`` holds there on its last day (Flee counts no people by link, so links are drawn thin)."""
    places = tuple(MapPlace(p.name, p.location_type, p.latitude, p.longitude) for p in flee.locations)
    routes = tuple(
        MapRoute(route_name(r.name1, r.name2, FLEE_ROUTE_MODE), r.name1, r.name2, FLEE_ROUTE_MODE) for r in flee.routes
    )
    day = f"{ds.indexes['time'][-1]:%d %b %Y}"
    camps = {str(camp): float(people) for camp, people in ds["sim"].isel(time=-1).to_series().items()}
    sizes = Sizes(None, camps, "", f"refugees simulated in the camp on {day}")
    legend = (
        f"Lines: the links between locations. Circle area: refugees simulated in each camp on {day} "
        f"(largest {max(camps.values(), default=0):,.0f}); dots: every location. Hover for names and figures. "
        f"{MAP_CREDIT}"
    )
    return map_figure(CorridorMap(places, routes), sizes, "Map of the conflict", legend)


def write_validation_report(ds: xr.Dataset, path: str | Path, flee: FleeInput, errors: dict | None = None) -> Path:
    """One HTML page (figure embedded as SVG) with the error table of ``validate`` and the map of ``flee``."""
    errors = errors or validate(ds)
    rows = "".join(
        f"<tr><td>{html.escape(camp)}</td><td>{e['normal']:.3f}</td><td>{e['rescaled']:.3f}</td></tr>"
        for camp, e in errors["camps"].items()
    )
    sections = [
        f"<p>Averaged relative difference (Flee's metric): normal {errors['normal']:.3f}, "
        f"rescaled {errors['rescaled']:.3f}. Camp rows are each camp's share of the daily error.</p>",
        f"<table><tr><th>camp</th><th>normal</th><th>rescaled</th></tr>{rows}"
        f"<tr><th>overall</th><th>{errors['normal']:.3f}</th><th>{errors['rescaled']:.3f}</th></tr></table>",
        figure_html(
            camp_figure(ds), "Simulated and observed refugees per camp and day.", "simulated vs observed per camp"
        ),
        conflict_map(flee, ds),
    ]
    return write_html(path, f"Flee validation: {ds.attrs.get('conflict', '')}", sections)
