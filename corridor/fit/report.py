"""The calibration report, built like the run report (one page, inline SVG figures, the corridor's map)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from corridor import observed as obs
from corridor.fit.baselines import holdout_table
from corridor.fit.study import SCORES_ATTR, finished_trials, trial_series
from corridor.fit.targets import FIT_END, HOLDOUT_START
from corridor.report.comparison import mape_by_window
from corridor.report.html import figure_html, map_html, write_html
from corridor.report.map import CorridorMap
from corridor.report.monthly import monthly

if TYPE_CHECKING:
    import xarray as xr

    from corridor.fit.calibrate import Calibration
    from corridor.scenario.load import Scenario


def _fit_figure(first: pd.Series, best: pd.Series, calibration: Calibration) -> str:
    figure = Figure(figsize=(10, 4), layout="constrained")
    ax = figure.subplots()
    observed = obs.sw_border_total().loc[best.index[0] : best.index[-1]]
    ax.plot(observed.index, observed.to_numpy(), "k--", label="observed (CBP)")
    ax.plot(first.index, first.to_numpy(), color="tab:gray", alpha=0.7, label="first trial (the scenario's values)")
    ax.plot(best.index, best.to_numpy(), color="tab:blue", label="best trial")
    window = (calibration.targets.start, calibration.targets.end)
    # matplotlib converts dates on a date axis; its stubs declare floats only
    ax.axvspan(*window, color="tab:green", alpha=0.08, label="fit window")  # type: ignore[arg-type]
    ax.set_ylabel("encounters per month")
    ax.set_title("Southwest border encounters: observed, first and best trial")
    ax.legend(fontsize="small")
    return figure_html(
        figure,
        "Runs at the calibration's scale and seed; the shaded months are the ones fitted."
        f" Observed series: data/{obs.SWB_TOTALS_FILE}.",
    )


def _history_figure(trials: list) -> str:
    figure = Figure(figsize=(10, 3.5), layout="constrained")
    ax = figure.subplots()
    numbers = [trial.number for trial in trials]
    values = np.array([trial.value for trial in trials])
    ax.plot(numbers, values, "o", color="tab:gray", markersize=4, label="trial")
    ax.step(numbers, np.minimum.accumulate(values), where="post", color="tab:blue", label="best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel("distance (mean MAPE, %)")
    ax.legend(fontsize="small")
    return figure_html(figure, "Distance of every finished trial, in the order they were asked.")


def _parameter_table(calibration: Calibration) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(prior.key)}</th><td>{calibration.best[prior.key]:.4g}</td>"
        f"<td>{prior.low:g} – {prior.high:g}{' (log)' if prior.log else ''}</td></tr>"
        for prior in calibration.priors
    )
    return f"<h2>Best values</h2><table><tr><th>lever</th><th>fitted</th><th>prior range</th></tr>{rows}</table>"


def _mape_section(best: pd.Series, calibration: Calibration) -> str:
    """In-sample MAPE of the best trial by fiscal year and, when the fit left them out, the
    hold-out months against the naive baselines."""
    windows = mape_by_window(best, obs.sw_border_total().astype("float64"))
    rows = "".join(f"<tr><th>{html.escape(name)}</th><td>{value:.1f}%</td></tr>" for name, value in windows.items())
    section = f"<h2>Fit of the best trial</h2><table><tr><th>window</th><th>MAPE</th></tr>{rows}</table>"
    scores = calibration.study.best_trial.user_attrs.get(SCORES_ATTR)
    if scores is not None:
        targets = calibration.targets.mape_table(scores)
        section += "<h2>Targets of the best trial</h2>" + targets.to_html(float_format="{:,.1f}".format, na_rep="")
    if calibration.targets.end < HOLDOUT_START and best.index[-1] >= FIT_END.to_period("M").to_timestamp():
        table = holdout_table(best)
        section += f"<h2>Hold-out {HOLDOUT_START:%b %Y} – {FIT_END:%b %Y} (not fitted)</h2>" + table.to_html(
            float_format="{:,.1f}".format, na_rep=""
        )
    return section


def write_fit_report(calibration: Calibration, path: Path, best_run: xr.Dataset, fitted: Scenario) -> Path:
    """Observed against the first and best trial, the distance history, the best values and the map of
    the fitted scenario's ``best_run``."""
    trials = finished_trials(calibration.study)
    best = trial_series(calibration.study.best_trial)
    targets = calibration.targets
    sections = [
        f"<p>Study '{html.escape(calibration.study.study_name)}': {len(trials)} finished trials; "
        f"targets {', '.join(targets.series)} over {targets.start:%Y-%m} – {targets.end:%Y-%m}; "
        f"best distance {calibration.study.best_value:.2f}.</p>",
        _fit_figure(trial_series(trials[0]), best, calibration),
        _history_figure(trials),
        _parameter_table(calibration),
        _mape_section(best, calibration),
        map_html(CorridorMap.of(fitted), monthly(best_run[["route_entries"]])),  # the only output the map reads
    ]
    return write_html(path, "Corridor calibration report", sections)
