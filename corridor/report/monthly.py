"""Daily simulation results -> calendar months, the resolution of every observed series."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pandas as pd
import xarray as xr

from corridor.report.ensemble import ENSEMBLE_DIM
from corridor.results.forecast import remarked


def is_level(da: xr.DataArray) -> bool:
    """Whether ``da`` is a stock or a state (people present, an index), whose month is an average,
    rather than a flow, whose month is a sum: results say so in their CF ``cell_methods``."""
    return da.attrs.get("cell_methods") == "time: point"


def is_monthly(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is already monthly: two or more time points, each a month start (daily results
    have at most one)."""
    times = ds.indexes.get("time")
    return isinstance(times, pd.DatetimeIndex) and len(times) > 1 and bool(times.is_month_start.all())


def monthly(ds: xr.Dataset) -> xr.Dataset:
    """Monthly totals of flows and monthly means of stocks, indexed by month start, with the
    months after the observed data flagged ``forecast``. Monthly results come back as they are (a
    month's total is itself), so a report computes them once and hands them to every table and figure.

    The same numbers as ``ds.resample(time="MS").sum()`` for flows and ``.mean()`` for stocks (NaN
    skipped), computed with the very numpy reductions xarray applies to each month, one call per
    variable and month instead of xarray's Dataset per month: a second less for each run reported
    or scored. Results have one time point per day, so every month in the run has days."""
    if is_monthly(ds):
        return ds
    month_of_day = pd.DatetimeIndex(ds.indexes["time"]).to_period("M")
    bounds = np.flatnonzero(np.r_[True, month_of_day[1:] != month_of_day[:-1], True])
    data_vars = {}
    for name, da in ds.data_vars.items():
        axis = da.get_axis_num("time")
        values = da.to_numpy()
        reduce: Callable[..., np.ndarray] = np.nanmean if is_level(da) else np.sum
        if not is_level(da) and values.dtype.kind in "fc":  # NaN counts as 0, as in xarray's skipna sum
            values = np.where(np.isnan(values), 0, values)
        before = (slice(None),) * axis
        months = [reduce(values[(*before, slice(start, end))], axis=axis) for start, end in pairwise(bounds)]
        others = tuple(dim for dim in da.dims if dim != "time")  # time comes first, as after resampling
        data_vars[name] = xr.Variable(("time", *others), np.stack(months), attrs=da.attrs)
    coords = {name: coord.variable for name, coord in ds.coords.items() if "time" not in coord.dims}
    coords["time"] = xr.Variable("time", month_of_day.unique().to_timestamp(), attrs=ds["time"].attrs)
    return remarked(xr.Dataset(data_vars, coords=coords, attrs=dict(ds.attrs)))


def summed_to(da: xr.DataArray, *keep: str) -> xr.DataArray:
    """Sum ``da`` over every dimension except time, the ensemble dimension and ``keep``: each member
    is summed on its own, so quantiles taken afterwards are those of the members' totals."""
    drop = [dim for dim in da.dims if dim not in ("time", ENSEMBLE_DIM, *keep)]
    return da.sum(dim=drop)


def as_table(da: xr.DataArray) -> pd.DataFrame:
    """A (time, column) array as a table, one column per value of its second dimension."""
    table = da.to_pandas()
    assert isinstance(table, pd.DataFrame), f"{da.name} has dimensions {da.dims}, not two"
    return table
