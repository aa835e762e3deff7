"""Daily simulation results -> calendar months, the resolution of every observed series."""

from __future__ import annotations

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
    month's total is itself; resampling them again would take as long as the daily results did), so
    a report computes them once and hands them to every table and figure."""
    if is_monthly(ds):
        return ds
    flows = [name for name, da in ds.data_vars.items() if not is_level(da)]
    stocks = [name for name, da in ds.data_vars.items() if is_level(da)]
    parts = [ds[flows].resample(time="MS").sum()] if flows else []
    parts += [ds[stocks].resample(time="MS").mean()] if stocks else []
    monthly_ds = xr.merge(parts, compat="override", join="exact")
    monthly_ds.attrs = dict(ds.attrs)
    return remarked(monthly_ds)


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
