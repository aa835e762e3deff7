"""Central value and uncertainty bands of a result that may be a single run or an ensemble.

An ensemble arrives as raw members along an ``ensemble`` dimension; a single run has none.
Members stay apart until the quantity a figure or table shows has been computed for each of
them (a monthly total, a sector's series), and only then are quantiles taken: a sum of per-cell
medians is not the median of the sums.
"""

from __future__ import annotations

import xarray as xr

ENSEMBLE_DIM = "ensemble"
BANDS = {"90%": (0.05, 0.95), "50%": (0.25, 0.75)}


def has_spread(da: xr.DataArray) -> bool:
    """True when ``da`` holds ensemble members whose spread can be drawn as bands."""
    return ENSEMBLE_DIM in da.dims


def quantile(da: xr.DataArray, q: float) -> xr.DataArray:
    """The ``q`` quantile of ``da`` across the members."""
    return da.quantile(q, dim=ENSEMBLE_DIM).drop_vars("quantile")


def central(da: xr.DataArray) -> xr.DataArray:
    """The value to compare with observations: the run itself, or the members' median."""
    return quantile(da, 0.5) if has_spread(da) else da


def member_labels(ds: xr.Dataset | xr.DataArray) -> list[str]:
    """'seed 3' for each member; with the member's number too where parameter draws repeat a seed."""
    seeds = [int(seed) for seed in ds["seed"].values]
    if len(set(seeds)) == len(seeds):
        return [f"seed {seed}" for seed in seeds]
    return [f"member {number} (seed {seed})" for number, seed in enumerate(seeds)]
