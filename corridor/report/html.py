"""Assemble the report: one self-contained HTML file, figures inlined as base64 PNG."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import xarray as xr
from matplotlib.figure import Figure

from corridor.report.comparison import compared_months, format_mape, mape_table, monthly_table
from corridor.report.figures import FIGURES, Exhibit
from corridor.report.monthly import monthly

DEFAULT_TITLE = "Corridor simulation report"
RUN_ATTRIBUTES = ("scenario", "seed", "scale", "corridor_version", "observed_until")
STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
figure { margin: 2em 0; } img { max-width: 100%; }
figcaption { font-size: 0.9em; color: #444; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
"""


def png_data_uri(figure: Figure) -> str:
    """Encode a figure as an inline PNG, so the report needs no companion files or network."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _run_description(ds: xr.Dataset) -> str:
    """The run's attributes, its period and, for a what-if, the levers it overrode."""
    shown = {name: str(ds.attrs[name]) for name in RUN_ATTRIBUTES if name in ds.attrs}
    if {"start", "end", "report_start"} <= ds.attrs.keys():
        shown["period"] = f"{ds.attrs['start']} to {ds.attrs['end']}, reported from {ds.attrs['report_start']}"
    overrides = json.loads(ds.attrs.get("overrides", "{}"))
    if overrides:
        shown["overrides (--set)"] = ", ".join(f"{lever} = {json.dumps(value)}" for lever, value in overrides.items())
    items = "".join(f"<li>{name}: {html.escape(value)}</li>" for name, value in shown.items())
    return f"<ul>{items}</ul>" if items else ""


def _mape_section(monthly_ds: xr.Dataset) -> str:
    """The fit per window: of the run, or of the ensemble's median series and of each member."""
    table = mape_table(monthly_ds).rename_axis("run")
    return "<h2>Fit to CBP Southwest border encounters (MAPE)</h2>" + table.map(format_mape).to_html()


def figure_html(figure: Figure, caption: str, alt: str | None = None) -> str:
    """An embedded PNG figure with its caption."""
    return (
        f'<figure><img alt="{html.escape(alt or caption)}" src="{png_data_uri(figure)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _figure_section(exhibit: Exhibit) -> str:
    return figure_html(exhibit.figure, exhibit.caption, exhibit.title)


def write_html(path: str | Path, title: str, sections: list[str]) -> Path:
    """One self-contained page: a title, then the sections' HTML in order."""
    document = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{''.join(sections)}</body></html>"
    )
    path = Path(path)
    path.write_text(document, encoding="utf-8")
    return path


def write_report(ds: xr.Dataset, path: str | Path, observed: bool = True, title: str = DEFAULT_TITLE) -> Path:
    """Write the HTML report for one run or ensemble ``ds`` (the engine's results Dataset);
    with ``observed=False`` no observed data is read, for scenarios with no real counterpart."""
    monthly_ds = monthly(ds)
    sections = [_run_description(ds)]
    if observed:
        sections.append(_mape_section(monthly_ds))
    sections.extend(_figure_section(make(monthly_ds, observed)) for make in FIGURES)
    if observed:
        table = compared_months(monthly_table(monthly_ds))
        sections.append(
            "<h2>Monthly SW border encounters</h2><p>Months with forecast = True come after the observed data "
            "and are not scored.</p>" + table.to_html(float_format="{:,.1f}".format)
        )
    return write_html(path, title, sections)
