"""Naive forecasts of the SW-border total over the hold-out months, the bar a fitted simulator
must clear: if it cannot beat last year's same month or an exponential-smoothing fit on
the observed series alone, its mechanisms add nothing to forecasting."""

from __future__ import annotations

import warnings

import pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from corridor import observed as obs
from corridor.fit.targets import FIT_END, HOLDOUT_START


def _history() -> tuple[pd.Series, pd.DatetimeIndex]:
    """Observed months before the hold-out, and the hold-out months."""
    total = obs.sw_border_total().astype("float64").asfreq("MS")
    return total.loc[: HOLDOUT_START - pd.Timedelta(days=1)], pd.DatetimeIndex(total.loc[HOLDOUT_START:FIT_END].index)


def flat_forecast() -> pd.Series:
    """Each hold-out month forecast as the last observed month before the hold-out (March 2023)."""
    history, months = _history()
    return pd.Series(float(history.iloc[-1]), index=months)


def seasonal_naive() -> pd.Series:
    """Each hold-out month forecast as the same month a year earlier."""
    history, months = _history()
    return pd.Series(history.reindex(months - pd.DateOffset(years=1)).to_numpy(), index=months)


def ets() -> pd.Series:
    """Holt-Winters (additive damped trend, multiplicative 12-month season) fitted on the history."""
    history, months = _history()
    model = ExponentialSmoothing(history, trend="add", damped_trend=True, seasonal="mul", seasonal_periods=12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on a 42-month series
        fitted = model.fit()
    return pd.Series(fitted.forecast(len(months)).to_numpy(), index=months)


def holdout_table(simulated: pd.Series) -> pd.DataFrame:
    """Each hold-out month's observed total, the model's ``simulated`` value and the baselines'
    forecasts, with a last row of each forecast's MAPE (percent) over the hold-out."""
    observed = obs.sw_border_total().astype("float64").loc[HOLDOUT_START:FIT_END]
    forecasts = {"model (fitted)": simulated, "seasonal naive": seasonal_naive(), "ETS (Holt-Winters)": ets()}
    table = pd.DataFrame({"observed": observed, **{name: f.reindex(observed.index) for name, f in forecasts.items()}})
    table.index = pd.DatetimeIndex(table.index).strftime("%Y-%m")
    table.loc["MAPE %"] = {name: obs.mape(table[name], table["observed"]) for name in forecasts}
    return table.rename_axis("month")


def posterior_holdout_table(bands: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Hold-out months: observed, the posterior's median and 90% band (``bands`` columns
    ``median``, ``5%``, ``95%`` by month), the flat forecast from March 2023 and the seasonal naive
    forecast, with a last row of MAPEs (percent); and how many months the 90% band covers."""
    observed = obs.sw_border_total().astype("float64").loc[HOLDOUT_START:FIT_END]
    bands = bands.reindex(observed.index)
    forecasts = {
        "posterior median": bands["median"],
        "flat from Mar 2023": flat_forecast(),
        "seasonal naive": seasonal_naive(),
    }
    table = pd.DataFrame(
        {
            "observed": observed,
            "posterior 5%": bands["5%"],
            "posterior 95%": bands["95%"],
            **{name: forecast.reindex(observed.index) for name, forecast in forecasts.items()},
        }
    )
    covered = int(((observed >= bands["5%"]) & (observed <= bands["95%"])).sum())
    table.index = pd.DatetimeIndex(table.index).strftime("%Y-%m")
    table.loc["MAPE %"] = {name: obs.mape(table[name], table["observed"]) for name in forecasts}
    return table.rename_axis("month"), covered
