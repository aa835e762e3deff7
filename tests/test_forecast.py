"""Months after the observed data are a forecast: results flag them, and no score counts them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import US_MEXICO, shortened_copy

import corridor
from corridor import observed
from corridor.fit.compare import _difference_figure, compare
from corridor.fit.targets import Targets
from corridor.report.comparison import mape_summary
from corridor.report.figures import FORECAST_GID
from corridor.report.monthly import monthly
from corridor.results.dataset import load, save
from corridor.scenario.load import load_scenario


def test_the_built_in_scenario_runs_through_2024():
    config = yaml.safe_load((US_MEXICO / "scenario.yaml").read_text())
    assert str(config["end"]) == "2024-12-31"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same seed from April 2023 to the end of September 2023, and on to February 2024."""
    folder = tmp_path_factory.mktemp("forecast")
    period = {"start": "2023-04-01", "report_start": "2023-04-01", "scale": 0.02}
    observed_only = corridor.simulate(shortened_copy(folder / "observed", end="2023-09-30", **period))
    with_forecast = corridor.simulate(shortened_copy(folder / "forecast", end="2024-02-29", **period))
    return observed_only, with_forecast


def test_days_after_the_observed_data_are_flagged_forecast(runs, tmp_path):
    observed_only, with_forecast = runs
    assert with_forecast.attrs["observed_until"] == "2023-09-30"
    flags = with_forecast["forecast"].to_series()
    assert not flags[:"2023-09-30"].any() and flags["2023-10-01":].all()
    assert not observed_only["forecast"].any()
    months = monthly(with_forecast)["forecast"].to_series()
    assert list(months.index[months]) == list(pd.date_range("2023-10-01", "2024-02-01", freq="MS"))
    assert with_forecast["forecast"].attrs["long_name"].startswith("forecast")
    back = load(save(with_forecast, tmp_path / "results.nc"))
    assert back["forecast"].dtype == bool and back["forecast"].equals(with_forecast["forecast"])


def test_a_run_into_the_forecast_scores_as_the_run_over_observed_months(runs):
    observed_only, with_forecast = runs
    # the forecast months are simulated, yet the scores count only months CBP observed
    assert float(with_forecast["encounters"].sel(time=slice("2023-10-01", None)).sum()) > 0
    short, longer = mape_summary(observed_only), mape_summary(with_forecast)
    assert not np.isnan(short["FY2023"])
    assert longer == pytest.approx(short, rel=0, abs=0, nan_ok=True)
    targets = Targets.parse("total,nationality,sector").clipped_to(pd.Timestamp("2023-04-01"), observed.OBSERVED_UNTIL)
    assert targets.distance(with_forecast) == targets.distance(observed_only)


def test_calibration_trials_stop_with_the_observed_data(fy2022):
    built_in = load_scenario(US_MEXICO)
    assert built_in.ending_by(observed.OBSERVED_UNTIL).config.end == observed.OBSERVED_UNTIL.date()
    shorter = load_scenario(fy2022)
    assert shorter.ending_by(observed.OBSERVED_UNTIL) is shorter


def test_a_comparison_into_the_forecast_shades_its_forecast_months(tmp_path):
    scenario = shortened_copy(
        tmp_path / "s", start="2023-08-01", end="2023-11-30", report_start="2023-08-01", scale=0.005
    )
    comparison = compare(scenario, n=2, overrides={"checkpoints.detect_each": 0.08})
    assert list(comparison["forecast"].values) == [False, False, True, True]
    axes = _difference_figure(comparison).axes
    assert all(any(patch.get_gid() == FORECAST_GID for patch in ax.patches) for ax in axes)
