"""A posterior over the priors' levers as the ABC-SMC fit leaves it in its file: the populations of
weighted particles, what they were fitted to (priors, targets, scale, seed, scenario hash), and the
part of the current generation already simulated, so an interrupted fit resumes where it stopped.

The file is JSON, rewritten whole (atomically) after every simulation."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from corridor.fit.priors import Prior, as_overrides
from corridor.fit.targets import Targets
from corridor.levers import Overrides
from corridor.results.forecast import POSTERIOR_BAND, POSTERIOR_LEVELS
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import Scenario

FORMAT = "corridor-posterior/1"
POSTERIOR_FILE = "posterior.json"  # a scenario folder's own posterior (`corridor fit --out`), the run report's band


@dataclass
class Evaluation:
    """One simulated candidate: its lever values, the run's seed, the targets' MAPEs, the distance
    and the run's SW-border total per month (for bands over months no target scored)."""

    values: list[float]
    seed: int
    scores: dict[str, float]
    distance: float
    total: dict[str, float]


@dataclass
class Population:
    """The accepted particles of one generation, with their importance weights (summing to 1)."""

    epsilon: float
    particles: list[Evaluation]
    weights: list[float]
    simulations: int

    @property
    def effective_size(self) -> float:
        """Kish's effective sample size of the weights, (sum w)^2 / sum(w^2): as many as the particles when the
        weights are equal, 1 when one particle holds them all (a point, not a distribution; with many levers the
        importance weights of ABC-SMC collapse so)."""
        weights = np.asarray(self.weights)
        return float(weights.sum() ** 2 / np.sum(np.square(weights)))


@dataclass
class Posterior:
    """What was fitted, and the populations so far (the last one is the posterior)."""

    scenario: str
    scenario_sha256: str
    seed: int
    scale: float | None
    holdout: bool
    n_particles: int
    priors: list[Prior]
    targets: dict[str, Any]  # series, weights, start, end
    populations: list[Population] = field(default_factory=list)
    pending: dict[int, Evaluation] = field(default_factory=dict)  # the current generation's candidates, by index

    def identity(self) -> dict[str, Any]:
        """What a resumed fit must share with the stored one."""
        return {
            "scenario_sha256": self.scenario_sha256,
            "seed": self.seed,
            "scale": self.scale,
            "holdout": self.holdout,
            "n_particles": self.n_particles,
            "priors": [prior.model_dump() for prior in self.priors],
            "targets": self.targets,
        }

    @property
    def keys(self) -> list[str]:
        return [prior.key for prior in self.priors]

    @property
    def last(self) -> Population:
        if not self.populations:
            raise ScenarioError("posterior", "the fit has no finished generation yet", expected="--resume to finish it")
        return self.populations[-1]

    def values(self) -> pd.DataFrame:
        """The last population's particles: one row each, a column per lever, and their weights."""
        frame = pd.DataFrame([particle.values for particle in self.last.particles], columns=self.keys)
        return frame.assign(weight=self.last.weights)

    def summary(self) -> pd.DataFrame:
        """Per lever: the prior's range and mean, the posterior's weighted mean and 5–95% interval."""
        particles = self.values()
        weights = particles.pop("weight").to_numpy()
        rows = {}
        for prior in self.priors:
            column = particles[prior.key].to_numpy()
            low, high = weighted_quantiles(column[None, :], weights, (0.05, 0.95))[:, 0]
            rows[prior.key] = {
                "prior low": prior.low,
                "prior high": prior.high,
                "prior mean": prior_mean(prior),
                "posterior mean": float(np.sum(weights * column)),
                "posterior 5%": low,
                "posterior 95%": high,
            }
        return pd.DataFrame(rows).T.rename_axis("lever")

    def mean_scores(self) -> dict[str, float]:
        """Each target's MAPE, weighted mean over the last population."""
        last = self.last
        return {
            name: float(sum(w * p.scores[name] for w, p in zip(last.weights, last.particles, strict=True)))
            for name in self.targets["series"]
        }

    def draws(self, n: int, seed: int) -> list[Overrides]:
        """``n`` lever settings drawn from the posterior (particles resampled by weight)."""
        rng = np.random.default_rng([seed, n])
        chosen = rng.choice(len(self.last.particles), size=n, p=np.asarray(self.last.weights))
        return [
            as_overrides(dict(zip(self.keys, self.last.particles[i].values, strict=True)), self.priors) for i in chosen
        ]

    def save(self, path: Path) -> None:
        """Write the file atomically: an interruption leaves the previous version whole."""
        content = {"format": FORMAT, "scenario": self.scenario, **self.identity()}
        content["populations"] = [asdict(population) for population in self.populations]
        content["pending"] = {str(index): asdict(evaluation) for index, evaluation in self.pending.items()}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(content))
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Posterior:
        try:
            content = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            raise ScenarioError(path, "cannot read the posterior file", found=str(error)) from None
        if not isinstance(content, dict) or content.get("format") != FORMAT:
            raise ScenarioError(path, "not a corridor posterior file", field="format", expected=FORMAT)
        populations = [
            Population(
                item["epsilon"],
                [Evaluation(**particle) for particle in item["particles"]],
                item["weights"],
                item["simulations"],
            )
            for item in content["populations"]
        ]
        return cls(
            scenario=content["scenario"],
            scenario_sha256=content["scenario_sha256"],
            seed=content["seed"],
            scale=content["scale"],
            holdout=content["holdout"],
            n_particles=content["n_particles"],
            priors=[Prior(**prior) for prior in content["priors"]],
            targets=content["targets"],
            populations=populations,
            pending={int(index): Evaluation(**item) for index, item in content["pending"].items()},
        )


def targets_record(targets: Targets) -> dict[str, Any]:
    """The targets as the posterior file states them."""
    return {
        "series": list(targets.series),
        "weights": dict(targets.weights),
        "start": f"{targets.start:%Y-%m-%d}",
        "end": f"{targets.end:%Y-%m-%d}",
    }


def prior_mean(prior: Prior) -> float:
    """Mean of a uniform (or log-uniform) prior."""
    if not prior.log:
        return (prior.low + prior.high) / 2
    return (prior.high - prior.low) / (np.log(prior.high) - np.log(prior.low))


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, levels: tuple[float, ...]) -> np.ndarray:
    """Quantiles of each row of ``values`` (rows x particles) under particle ``weights``: an array
    levels x rows (inverse of the weighted empirical distribution, midpoint convention)."""
    order = np.argsort(values, axis=1)
    sorted_values = np.take_along_axis(values, order, axis=1)
    cumulative = np.cumsum(weights[order], axis=1) - weights[order] / 2
    cumulative /= weights.sum()
    return np.array(
        [[np.interp(level, cumulative[row], sorted_values[row]) for row in range(len(values))] for level in levels]
    )


def total_bands(posterior: Posterior, levels: Mapping[str, float]) -> pd.DataFrame:
    """The last population's SW-border total per month as weighted quantiles (columns ``levels``):
    each particle ran with its own seed, so the bands hold both parameter uncertainty and chance."""
    frame = pd.DataFrame([particle.total for particle in posterior.last.particles]).T
    frame.index = pd.to_datetime(frame.index)
    quantiles = weighted_quantiles(frame.to_numpy(), np.asarray(posterior.last.weights), tuple(levels.values()))
    return pd.DataFrame(quantiles.T, index=frame.index, columns=list(levels))


def scenario_posterior(scenario: Scenario) -> tuple[Posterior | None, str]:
    """The posterior stored in the scenario's folder (``posterior.json``) if it was fitted to this scenario's content
    and has a finished generation, else None, with a note saying why when there is such a file: a posterior of
    another version of the scenario describes other runs, and an unreadable one is passed over, not fatal."""
    path = scenario.folder / POSTERIOR_FILE
    if not path.exists():
        return None, ""
    try:
        posterior = Posterior.load(path)
    except ScenarioError as error:
        return None, f"{POSTERIOR_FILE} not used: {error.message()}"
    if posterior.scenario_sha256 != scenario.content_sha256():
        return None, f"{POSTERIOR_FILE} not used: it was fitted to another version of the scenario (corridor fit again)"
    if not posterior.populations:
        return None, f"{POSTERIOR_FILE} not used: its fit has no finished generation (corridor fit --resume)"
    return posterior, ""


def posterior_band(posterior: Posterior) -> xr.DataArray:
    """The SW-border total per month over the posterior's last population (5%, median, 95%), as a DataArray
    (``time`` x ``level``) whose attributes say what it is, for a report to draw next to one run."""
    bands = total_bands(posterior, POSTERIOR_LEVELS)
    last = posterior.last
    return xr.DataArray(
        bands.to_numpy(),
        coords={"time": bands.index, "level": list(POSTERIOR_LEVELS)},
        dims=("time", "level"),
        name=POSTERIOR_BAND,
        attrs={
            "long_name": "US southwest-border encounters per month over the posterior (weighted quantiles)",
            "units": "encounters/month",
            "description": (
                f"{len(last.particles)} runs (effective sample size {last.effective_size:.0f}) of the last of "
                f"{len(posterior.populations)} ABC-SMC generations "
                f"(corridor fit, {POSTERIOR_FILE} in the scenario's folder), each with its own lever values and seed "
                f"at scale {posterior.scale}: what the data leave unknown about the fitted levers, and chance"
            ),
            "fitted_levers": ", ".join(posterior.keys),
        },
    )
