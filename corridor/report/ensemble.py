"""Central value and uncertainty bands of a result that may be a single run or an ensemble.

An ensemble arrives either summarised, with a ``quantile`` dimension, or as raw members
along an ``ensemble`` dimension; a single run has neither.
"""

from __future__ import annotations

import xarray as xr

ENSEMBLE_DIMS = ("quantile", "ensemble")
BANDS = {"90%": (0.05, 0.95), "50%": (0.25, 0.75)}


def has_spread(da: xr.DataArray) -> bool:
    """True when ``da`` carries ensemble uncertainty that can be drawn as bands."""
    return any(dim in da.dims for dim in ENSEMBLE_DIMS)


def quantile(da: xr.DataArray, q: float) -> xr.DataArray:
    """The ``q`` quantile across the ensemble (nearest stored quantile when summarised)."""
    if "quantile" in da.dims:
        return da.sel(quantile=q, method="nearest", drop=True)
    return da.quantile(q, dim="ensemble").drop_vars("quantile")


def central(da: xr.DataArray) -> xr.DataArray:
    """The value to compare with observations: the run itself, or the ensemble median."""
    return quantile(da, 0.5) if has_spread(da) else da
