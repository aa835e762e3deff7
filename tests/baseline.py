"""The built-in run's headline figures, pinned in tests/baseline.json so that a change that moves them
is seen (test_baseline.py). After a deliberate change, rewrite the file and say why in the commit:

    python tests/baseline.py --update
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import xarray as xr

from corridor.observed import fiscal_year_of
from corridor.report.comparison import mape_summary
from corridor.report.monthly import monthly, summed_to

BASELINE = Path(__file__).with_name("baseline.json")
HEADLINE_OUTPUTS = ("encounters", "departures", "mx_apprehensions", "mx_deportations", "deaths")


def headline_figures(ds: xr.Dataset) -> dict[str, float]:
    """Monthly MAPE against CBP by fiscal-year window, and each headline output's total per fiscal year."""
    figures = {f"MAPE {window}": value for window, value in mape_summary(ds).items()}
    by_month = monthly(ds)
    for name in HEADLINE_OUTPUTS:
        series = summed_to(by_month[name]).to_series()
        for year, value in series.groupby(fiscal_year_of(series.index)).sum().items():
            figures[f"{name} FY{year}"] = float(value)
    return figures


def built_in_run() -> xr.Dataset:
    """The built-in scenario at its own scale and seed, as `corridor run` runs it."""
    from conftest import US_MEXICO

    from corridor import simulate

    return simulate(US_MEXICO)


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).parent))
    BASELINE.write_text(json.dumps(headline_figures(built_in_run()), indent=1) + "\n")
    print(f"wrote {BASELINE}")
