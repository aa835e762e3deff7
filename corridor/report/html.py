"""Assemble the reports: self-contained HTML pages from one jinja2 template (the run and ensemble
report, the comparison, the calibration and the Flee validation), figures inlined as SVG; given the
scenario, the run and ensemble report also draw the corridor's map, and they and the comparison mark
the scenario's policy events on their time axes."""

from __future__ import annotations

import html
import io
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

import xarray as xr
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from corridor.report.comparison import compared_months, format_mape, mape_table, monthly_table
from corridor.report.ensemble import central
from corridor.report.events import EventMark, bargain_ran, event_marks, marks_within
from corridor.report.figures import FIGURES, Exhibit
from corridor.report.map import CorridorMap, Sizes
from corridor.report.monthly import monthly
from corridor.report.style import EVENT_COLOR, finish

DEFAULT_TITLE = "Corridor simulation report"
MAP_CREDIT = "Country outlines: Natural Earth (public domain)."
RUN_ATTRIBUTES = ("scenario", "seed", "scale", "corridor_version", "observed_until")
TEMPLATES = Environment(loader=PackageLoader("corridor.report"), autoescape=select_autoescape())


EVENT_GROUP = re.compile(r'<g id="event-(?:label-)?(\d+)-\d+">')
EVENTS_NOTE = " Dashed purple lines: dated policy events, numbered as in the list of policy events."


def inline_svg(figure: Figure, label: str, events: Sequence[EventMark] = ()) -> str:
    """A figure as an ``<svg>`` element for the page (sharp at any zoom, no companion files), each
    event mark with its date and names as a tooltip."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :].replace("<svg", f'<svg role="img" aria-label="{html.escape(label)}"', 1)

    def tooltip(match: re.Match) -> str:
        number = int(match.group(1))
        return f"{match.group(0)}<title>{number}. {html.escape(events[number - 1].label)}</title>"

    return EVENT_GROUP.sub(tooltip, svg)


def _run_description(ds: xr.Dataset) -> dict[str, str]:
    """The run's attributes, its period and, for a what-if, the levers it overrode."""
    shown = {name: str(ds.attrs[name]) for name in RUN_ATTRIBUTES if name in ds.attrs}
    if {"start", "end", "report_start"} <= ds.attrs.keys():
        shown["period"] = f"{ds.attrs['start']} to {ds.attrs['end']}, reported from {ds.attrs['report_start']}"
    overrides = json.loads(ds.attrs.get("overrides", "{}"))
    if overrides:
        moved = (f"{lever} = {json.dumps(value)}" for lever, value in overrides.items())
        shown["levers moved (--set)"] = ", ".join(moved)
    return shown


def _mape_section(monthly_ds: xr.Dataset) -> str:
    """The fit per window: of the run, or of the ensemble's median series and of each member."""
    table = mape_table(monthly_ds)
    return "<h2>Fit to CBP Southwest border encounters (MAPE)</h2>" + table.map(format_mape).to_html(index_names=False)


def figure_html(
    figure: Figure,
    caption: str,
    alt: str | None = None,
    start: str | None = None,
    report_start: str | None = None,
    events: Sequence[EventMark] = (),
) -> str:
    """An inline SVG figure, finished in the reports' style (see :mod:`corridor.report.style`; the
    months from ``start`` to ``report_start`` shaded as warm-up, ``events`` marked), with its caption."""
    finished = finish(figure, start, report_start, events)
    caption += EVENTS_NOTE if events else ""
    svg = inline_svg(finished, alt or caption, events)
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def _figure_section(
    make: Callable[[xr.Dataset, bool], Exhibit],
    monthly_ds: xr.Dataset,
    observed: bool,
    warmup: tuple[str | None, str | None],
    events: Sequence[EventMark],
) -> str:
    """One of the report's figures, drawn and finished, as HTML."""
    exhibit = make(monthly_ds, observed)
    return figure_html(exhibit.figure, exhibit.caption, exhibit.title, *warmup, events=events)


def figure_sections(
    monthly_ds: xr.Dataset, observed: bool, warmup: tuple[str | None, str | None], events: Sequence[EventMark]
) -> list[str]:
    """The report's figures as HTML, in the order of ``FIGURES``. Drawing them is most of a report's
    time and each needs only the monthly results, so where the system forks and has more than one
    core they are drawn side by side in forked processes (the same SVG as drawn one after another)."""
    workers = figure_workers()
    arguments = (FIGURES, repeat(monthly_ds), repeat(observed), repeat(warmup), repeat(events))
    if workers < 2:
        return list(map(_figure_section, *arguments))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_figure_section, *arguments))


def figure_workers() -> int:
    """How many forked processes may draw the figures: one per core and figure, but none (draw here) where
    the system cannot fork or where this process runs other threads (a Dask client, a web server): a fork
    copies locks those threads may hold, and a child waiting on one never finishes."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, len(FIGURES))


def events_html(events: Sequence[EventMark]) -> str:
    """The numbered list the figures' event marks refer to."""
    if not events:
        return ""
    items = "".join(f"<li>{html.escape(event.label)}</li>" for event in events)
    return f'<h2>Policy events on the time axes</h2><ol class="events" style="color:{EVENT_COLOR}">{items}</ol>'


def report_events(scenario, ds: xr.Dataset) -> list[EventMark]:
    """The scenario's event marks within the run's months (with the bilateral record's when the bargain
    ran); none without a scenario."""
    if scenario is None:
        return []
    return marks_within(event_marks(scenario, bargain_ran(ds)), ds.indexes["time"])


def map_html(corridor_map: CorridorMap, monthly_ds: xr.Dataset) -> str:
    """The corridor's map with route widths by people setting out on each route over the reported
    period and circles by people passing each place (for an ensemble, the members' median)."""
    reported = monthly_ds.sel(time=slice(monthly_ds.attrs.get("report_start"), None))
    months = reported.indexes["time"]
    period = f"{months[0]:%b %Y} to {months[-1]:%b %Y}"
    entries = central(reported["route_entries"].sum("time")).to_series()
    routes = {str(name): float(value) for name, value in entries.items()}
    places = corridor_map.passing(routes)
    sizes = Sizes(routes, places, f"people set out, {period}", f"people passing, {period}")
    swatches = " ".join(
        f'<span style="color:{colour}">&#9632; {html.escape(mode)}</span>'
        for mode, colour in corridor_map.mode_colours().items()
    )
    legend = (
        f"Route colour: mode of travel {swatches}. Route width: people setting out on the route, {period} "
        f"(widest {max(routes.values(), default=0):,.0f}). Circle area: people passing the place (arriving by its "
        f"routes in or leaving by its routes out, whichever is more; largest {max(places.values(), default=0):,.0f}). "
        f"Hover a route or place for its figure. {MAP_CREDIT}"
    )
    return map_figure(corridor_map, sizes, "Map of the corridor", legend)


def map_figure(corridor_map: CorridorMap, sizes: Sizes, heading: str, legend: str) -> str:
    """A report's map section: the heading, the map sized by ``sizes`` and its ``legend`` (HTML, ending with
    ``MAP_CREDIT``)."""
    return (
        f'<h2>{html.escape(heading)}</h2><figure class="map">{corridor_map.svg(sizes, "corridor-map", heading)}'
        f'<figcaption class="legend">{legend}</figcaption></figure>'
    )


def write_html(path: str | Path, title: str, sections: list[str], header: dict[str, str] | None = None) -> Path:
    """One self-contained page from the reports' template: a title, the ``header`` items (what was
    run), then the sections' HTML in order."""
    document = TEMPLATES.get_template("page.html").render(title=title, header=header or {}, sections=sections)
    path = Path(path)
    path.write_text(document, encoding="utf-8")
    return path


def write_report(
    ds: xr.Dataset, path: str | Path, observed: bool = True, title: str = DEFAULT_TITLE, scenario=None
) -> Path:
    """Write the HTML report for one run or ensemble ``ds`` (the engine's results Dataset, daily or
    already monthly); with ``observed=False`` no observed data is read, for scenarios with no real
    counterpart. Given the loaded ``scenario``, the report draws its map and marks its policy events on
    the time axes."""
    monthly_ds = monthly(ds)
    sections = []
    if observed:
        sections.append(_mape_section(monthly_ds))
    events = report_events(scenario, monthly_ds)
    if scenario is not None:
        sections += [map_html(CorridorMap.of(scenario), monthly_ds), events_html(events)]
    sections += figure_sections(monthly_ds, observed, (ds.attrs.get("start"), ds.attrs.get("report_start")), events)
    if observed:
        table = compared_months(monthly_table(monthly_ds))
        table = table.rename(columns={"observed": "observed (CBP)", "abs_pct_error": "error (%)"})
        sections.append(
            "<h2>Monthly SW border encounters</h2><p>Months with forecast = True come after the observed data "
            "and are not scored.</p>" + table.to_html(float_format="{:,.0f}".format)
        )
    return write_html(path, title, sections, _run_description(ds))
