"""Assemble the reports: self-contained HTML pages from one jinja2 template (the run and ensemble
report, the comparison, the calibration and the Flee validation), figures inlined as SVG."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import xarray as xr
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from corridor.report.comparison import compared_months, format_mape, mape_table, monthly_table
from corridor.report.figures import FIGURES
from corridor.report.monthly import monthly
from corridor.report.style import finish

DEFAULT_TITLE = "Corridor simulation report"
RUN_ATTRIBUTES = ("scenario", "seed", "scale", "corridor_version", "observed_until")
TEMPLATES = Environment(loader=PackageLoader("corridor.report"), autoescape=select_autoescape())


def svg_data_uri(figure: Figure) -> str:
    """Encode a figure as an inline SVG (sharp at any zoom), so the report needs no companion files
    or network."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


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
    table = mape_table(monthly_ds).rename_axis("run")
    return "<h2>Fit to CBP Southwest border encounters (MAPE)</h2>" + table.map(format_mape).to_html()


def figure_html(
    figure: Figure, caption: str, alt: str | None = None, start: str | None = None, report_start: str | None = None
) -> str:
    """An embedded SVG figure, finished in the reports' style (see :mod:`corridor.report.style`; the
    months from ``start`` to ``report_start`` shaded as warm-up), with its caption."""
    finished = finish(figure, start, report_start)
    return (
        f'<figure><img alt="{html.escape(alt or caption)}" src="{svg_data_uri(finished)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def write_html(path: str | Path, title: str, sections: list[str], header: dict[str, str] | None = None) -> Path:
    """One self-contained page from the reports' template: a title, the ``header`` items (what was
    run), then the sections' HTML in order."""
    document = TEMPLATES.get_template("page.html").render(title=title, header=header or {}, sections=sections)
    path = Path(path)
    path.write_text(document, encoding="utf-8")
    return path


def write_report(ds: xr.Dataset, path: str | Path, observed: bool = True, title: str = DEFAULT_TITLE) -> Path:
    """Write the HTML report for one run or ensemble ``ds`` (the engine's results Dataset);
    with ``observed=False`` no observed data is read, for scenarios with no real counterpart."""
    monthly_ds = monthly(ds)
    sections = []
    if observed:
        sections.append(_mape_section(monthly_ds))
    warmup = ds.attrs.get("start"), ds.attrs.get("report_start")
    for make in FIGURES:
        exhibit = make(monthly_ds, observed)
        sections.append(figure_html(exhibit.figure, exhibit.caption, exhibit.title, *warmup))
    if observed:
        table = compared_months(monthly_table(monthly_ds))
        table = table.rename(columns={"observed": "observed (CBP)", "abs_pct_error": "error (%)"})
        sections.append(
            "<h2>Monthly SW border encounters</h2><p>Months with forecast = True come after the observed data "
            "and are not scored.</p>" + table.to_html(float_format="{:,.0f}".format)
        )
    return write_html(path, title, sections, _run_description(ds))
