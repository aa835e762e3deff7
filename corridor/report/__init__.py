"""Figures and a self-contained HTML report comparing a run with observed statistics."""

from corridor.report.comparison import mape_summary, monthly_table
from corridor.report.html import write_report
from corridor.report.monthly import monthly

__all__ = ["mape_summary", "monthly", "monthly_table", "write_report"]
