"""Daily simulation results -> calendar months, the resolution of every observed series."""

from __future__ import annotations

import xarray as xr

from corridor.report.ensemble import ENSEMBLE_DIM
from corridor.results.dataset import OUTPUTS

# Stocks and states are levels (people present, an index), so a month is their average; a flow is summed.
STOCK_VARIABLES = frozenset(output.name for output in OUTPUTS if output.kind != "flow")


def monthly(ds: xr.Dataset) -> xr.Dataset:
    """Monthly totals of flows and monthly means of stocks, indexed by month start."""
    flows = [name for name in ds.data_vars if name not in STOCK_VARIABLES]
    stocks = [name for name in ds.data_vars if name in STOCK_VARIABLES]
    monthly_ds = xr.merge(
        [ds[flows].resample(time="MS").sum(), ds[stocks].resample(time="MS").mean()],
        compat="override",
        join="exact",
    )
    monthly_ds.attrs = dict(ds.attrs)
    return monthly_ds


def summed_to(da: xr.DataArray, *keep: str) -> xr.DataArray:
    """Sum ``da`` over every dimension except time, the ensemble dimension and ``keep``: each member
    is summed on its own, so quantiles taken afterwards are those of the members' totals."""
    drop = [dim for dim in da.dims if dim not in ("time", ENSEMBLE_DIM, *keep)]
    return da.sum(dim=drop)
