"""Figures and a self-contained HTML report of a Flee-ruleset validation run."""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import xarray as xr
from matplotlib.figure import Figure

from corridor.models.flee.metric import validate


def camp_figure(ds: xr.Dataset) -> Figure:
    """Simulated vs observed counts, one small panel per camp."""
    camps = [str(c) for c in ds["camp"].values]
    cols = min(4, max(1, len(camps)))
    rows = math.ceil(len(camps) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), squeeze=False, sharex=True)
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
    fig.tight_layout()
    return fig


def write_validation_report(ds: xr.Dataset, path: str | Path, errors: dict | None = None) -> Path:
    """One HTML file (figure embedded as base64 PNG) with the error table of ``validate``."""
    errors = errors or validate(ds)
    buffer = io.BytesIO()
    fig = camp_figure(ds)
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    image = base64.b64encode(buffer.getvalue()).decode()
    rows = "".join(
        f"<tr><td>{html.escape(camp)}</td><td>{e['normal']:.3f}</td><td>{e['rescaled']:.3f}</td></tr>"
        for camp, e in errors["camps"].items()
    )
    title = html.escape(f"Flee validation: {ds.attrs.get('conflict', '')}")
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}td,th{{padding:2px 10px}}
table{{border-collapse:collapse}}tr:nth-child(even){{background:#f3f3f3}}</style></head><body>
<h1>{title}</h1>
<p>Averaged relative difference (Flee's metric): normal {errors["normal"]:.3f},
rescaled {errors["rescaled"]:.3f}. Camp rows are each camp's share of the daily error.</p>
<table><tr><th>camp</th><th>normal</th><th>rescaled</th></tr>{rows}
<tr><th>overall</th><th>{errors["normal"]:.3f}</th><th>{errors["rescaled"]:.3f}</th></tr></table>
<img alt="simulated vs observed per camp" src="data:image/png;base64,{image}">
</body></html>"""
    path = Path(path)
    path.write_text(page)
    return path
