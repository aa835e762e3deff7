"""Figures and a self-contained HTML report comparing a run with observed statistics."""

from typing import Any

from corridor.report.comparison import mape_summary, monthly_table
from corridor.report.monthly import monthly

__all__ = ["mape_summary", "monthly", "monthly_table", "write_report"]


def __getattr__(name: str) -> Any:
    """``write_report`` imported when first asked for: it brings matplotlib (about a second), which the
    terminal tables and a fit's scores, importing this package, never need."""
    if name == "write_report":
        from corridor.report.html import write_report

        return write_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
