"""One look for every report figure: readable names, thousands separators, units on the y axis,
a distinct colour per series and the warm-up months shaded, applied where a figure is finished."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

WARMUP_COLOR = "0.9"


def readable(long_name: str) -> str:
    """An output's long name without its parenthesised detail or its breakdown ('…, by place'):
    a title or a sentence's subject."""
    return long_name.split(" (")[0].split(", by ")[0]


def distinct_colors(n: int) -> list:
    """``n`` colours no two alike: tab10, or for more series tab20's dark shades then its light ones."""
    if n <= 10:
        return [colormaps["tab10"](index) for index in range(n)]
    tab20 = colormaps["tab20"]
    order = list(range(0, 20, 2)) + list(range(1, 20, 2))
    return [tab20(order[index % 20]) for index in range(n)]


def _thousands(value: float, _position: int) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:,.2g}"


def finish(figure: Figure, start: str | None = None, report_start: str | None = None) -> Figure:
    """Thousands separators on every y axis and, given the run's start and report start, the warm-up
    months shaded on every time axis."""
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
        if start and report_start and pd.Timestamp(report_start) > pd.Timestamp(start):
            limits = ax.get_xlim()
            warmup = mdates.date2num([pd.Timestamp(start), pd.Timestamp(report_start)])
            ax.axvspan(warmup[0], warmup[1], color=WARMUP_COLOR, zorder=0, linewidth=0)
            ax.set_xlim(limits)
    if start and report_start and figure.axes:
        figure.text(0.01, 0.002, "grey: warm-up months, not reported", fontsize="x-small", color="0.4")
    return figure
