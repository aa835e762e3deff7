"""Fitting the model to observed series and measuring its uncertainty: priors, targets,
calibration (optuna on Dask), a posterior by ABC-SMC (on Dask), seed ensembles, paired
scenario comparisons and naive baselines."""

from corridor.fit.abc import fit_posterior
from corridor.fit.calibrate import calibrate
from corridor.fit.compare import compare
from corridor.fit.ensemble import ensemble
from corridor.fit.priors import Prior, load_priors
from corridor.fit.targets import Targets

__all__ = ["Prior", "Targets", "calibrate", "compare", "ensemble", "fit_posterior", "load_priors"]
