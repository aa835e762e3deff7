"""Flee's validation metric (averaged relative difference) on a simulate_flee Dataset."""

from __future__ import annotations

import numpy as np
import xarray as xr


def validate(ds: xr.Dataset) -> dict:
    """Flee's averaged relative difference, normal and rescaled, overall and per camp.

    E(t) = sum_c |sim_c - obs_c| / max(1, sum_c obs_c); rescaled first scales sim to the
    observed total (when the simulated total is > 0). A camp's figure is its share of that
    sum, so the camp figures add up to the overall error.
    """
    sim = ds["sim"].values.astype(np.float64)
    obs = ds["obs"].values.astype(np.float64)
    observed_total = obs.sum(axis=1, keepdims=True)
    simulated_total = sim.sum(axis=1, keepdims=True)
    scale = np.divide(observed_total, simulated_total, out=np.ones_like(observed_total), where=simulated_total > 0)
    denominator = np.maximum(1.0, observed_total)
    normal = np.abs(sim - obs) / denominator
    rescaled = np.abs(sim * scale - obs) / denominator
    camps = [str(c) for c in ds["camp"].values]
    return {
        "normal": float(normal.sum(axis=1).mean()),
        "rescaled": float(rescaled.sum(axis=1).mean()),
        "camps": {
            c: {"normal": float(normal[:, i].mean()), "rescaled": float(rescaled[:, i].mean())}
            for i, c in enumerate(camps)
        },
    }
