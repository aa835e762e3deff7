"""One look for every report figure: readable names, thousands separators, units on the y axis,
a distinct colour per series, the warm-up months shaded and the policy events marked, applied where
a figure is finished."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from corridor.report.events import EventMark

WARMUP_COLOR = "0.9"
EVENT_COLOR = "#7a4fb8"  # the workbench's chart marks too (workbench.css .event)
EVENT_LABEL_ROWS = 3  # numbers of neighbouring marks are staggered over this many heights


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


def mark_events(ax: Axes, events: Sequence[EventMark], axis_number: int, numbered: bool) -> None:
    """A thin dashed line per event month within the time axis (``gid`` ``event-N-AXIS``, N its number
    in ``events`` counted from 1, so the page can give it a tooltip), numbered at the top when
    ``numbered``; the axis keeps its range, and its plot area is named ``plot-area-AXIS``."""
    ax.patch.set_gid(f"plot-area-{axis_number}")
    limits = ax.get_xlim()
    drawn = 0
    for number, event in enumerate(events, start=1):
        x = float(mdates.date2num(event.month))
        if not limits[0] <= x <= limits[1]:
            continue
        ax.axvline(
            x, color=EVENT_COLOR, linewidth=0.7, linestyle=(0, (2, 2)), zorder=1, gid=f"event-{number}-{axis_number}"
        )
        if numbered:
            height = 0.98 - 0.07 * (drawn % EVENT_LABEL_ROWS)
            ax.text(
                x,
                height,
                str(number),
                transform=ax.get_xaxis_transform(),
                fontsize=6,
                color=EVENT_COLOR,
                ha="center",
                va="top",
                gid=f"event-label-{number}-{axis_number}",
            )
        drawn += 1
    ax.set_xlim(limits)


def finish(
    figure: Figure, start: str | None = None, report_start: str | None = None, events: Sequence[EventMark] = ()
) -> Figure:
    """Thousands separators on every y axis and, given the run's start and report start, the warm-up
    months shaded on every time axis; ``events`` marked on every time axis, numbered on the top row."""
    for number, ax in enumerate(figure.axes):
        if not ax.get_visible():
            continue
        ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
        if start and report_start and pd.Timestamp(report_start) > pd.Timestamp(start):
            limits = ax.get_xlim()
            warmup = mdates.date2num([pd.Timestamp(start), pd.Timestamp(report_start)])
            ax.axvspan(warmup[0], warmup[1], color=WARMUP_COLOR, zorder=0, linewidth=0)
            ax.set_xlim(limits)
        if events:
            spec = ax.get_subplotspec()
            mark_events(ax, events, number, numbered=spec is None or spec.is_first_row())
    if start and report_start and figure.axes:
        figure.text(0.01, 0.002, "grey: warm-up months, not reported", fontsize="x-small", color="0.4")
    return figure
