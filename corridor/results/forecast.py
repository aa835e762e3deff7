"""Which simulated days are a forecast: those after the last month of observed US data.

The project holds CBP's southwest-border series up to September 2023 (``corridor.observed``); a
run that goes on past it forecasts months nobody here can check. Results say so twice: the
attribute ``observed_until`` (the last observed day) and a boolean ``forecast`` coordinate on the
time axis, kept on monthly results (``report.monthly.monthly``) so that reports can mark those
months. Scores need no mask: every MAPE joins the run to observed months only. A report may add the
SW-border total's band over the scenario's posterior (``POSTERIOR_BAND``, ``fit.posterior.posterior_band``) to
monthly results: one run alone says nothing of what the fit leaves uncertain.
"""

from __future__ import annotations

import pandas as pd
import xarray as xr

OBSERVED_UNTIL_ATTR = "observed_until"
FORECAST_COORD = "forecast"
POSTERIOR_BAND = "swb_posterior"  # monthly SW-border total over the posterior: (time, level)
POSTERIOR_LEVELS = {"5%": 0.05, "median": 0.5, "95%": 0.95}  # its levels, by name
FORECAST_ATTRS = {
    "long_name": "forecast: after the last month of observed data (observed_until), not scored",
    "flag_values": "0 1",
    "flag_meanings": "observed_period forecast",
}


def forecast_mask(times: pd.Index, observed_until: pd.Timestamp) -> xr.DataArray:
    """True for each time (day or month start) after ``observed_until``, as a time coordinate."""
    return xr.DataArray(times > observed_until, dims="time", attrs=FORECAST_ATTRS)


def marked(ds: xr.Dataset, observed_until: pd.Timestamp) -> xr.Dataset:
    """``ds`` with the last observed day in its attrs and the ``forecast`` coordinate on its time axis."""
    ds = ds.assign_coords({FORECAST_COORD: forecast_mask(ds.indexes["time"], observed_until)})
    return ds.assign_attrs({OBSERVED_UNTIL_ATTR: observed_until.date().isoformat()})


def remarked(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` (resampled, say) with its ``forecast`` coordinate rebuilt from its ``observed_until``
    attribute; unchanged when it has none (a ruleset without observed data)."""
    if OBSERVED_UNTIL_ATTR not in ds.attrs:
        return ds
    return marked(ds, pd.Timestamp(ds.attrs[OBSERVED_UNTIL_ATTR]))


def forecast_start(ds: xr.Dataset | xr.DataArray) -> pd.Timestamp | None:
    """First time point of ``ds`` (results or one of their variables) that is a forecast; None
    when the run has none."""
    if FORECAST_COORD not in ds.coords or not ds[FORECAST_COORD].any():
        return None
    return pd.Timestamp(ds.indexes["time"][ds[FORECAST_COORD].values][0])
