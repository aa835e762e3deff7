"""ABC-SMC (approximate Bayesian computation by sequential Monte Carlo; Beaumont et al. 2009,
Biometrika 96:983) on the Dask backend: a posterior over the priors' levers, not only a best point.

Generation 0 draws particles from the priors. Each later generation accepts a candidate when its
run's distance is within ``epsilon``, the median distance of the previous population; candidates are
previous particles (drawn by weight) moved by a Gaussian kernel of twice their weighted variance,
truncated to the priors' box lever by lever, and weighted by prior / proposal density. Priors are
uniform, so the work is done on each lever's own scale or, for ``log: true``, on its logarithm, where
the prior is flat.

Why not pyabc's Dask sampler: it accepts whichever candidates finish first, so the posterior
depends on the number of workers and their timing. Here candidate ``k`` of generation ``t`` is a
pure function of (seed, t, k) -- its lever values and its run's seed -- candidates are simulated in
batches, and the population is the first ``n`` accepted by index: the same seed gives the same
posterior on one worker or many. Every finished simulation is written to the posterior file, so
an interrupted fit resumes without losing any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from distributed import Client, as_completed
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from scipy.stats import truncnorm

from corridor.fit.backend import dask_client
from corridor.fit.give_up import scored_run
from corridor.fit.posterior import Evaluation, Population, Posterior, targets_record
from corridor.fit.priors import Prior, as_overrides, load_priors, narrowed_around, scenario_values
from corridor.fit.targets import HOLDOUT_START, Targets
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import Scenario, load_scenario

MAX_BATCHES = 20  # batches of n candidates a generation may use before the fit stops with what it has


@dataclass(frozen=True)
class Space:
    """The priors as a box on the scale where each is uniform."""

    priors: list[Prior]

    @property
    def low(self) -> np.ndarray:
        return np.array([np.log(p.low) if p.log else p.low for p in self.priors])

    @property
    def high(self) -> np.ndarray:
        return np.array([np.log(p.high) if p.log else p.high for p in self.priors])

    def to_flat(self, values: list[float]) -> np.ndarray:
        return np.array([np.log(v) if p.log else v for p, v in zip(self.priors, values, strict=True)])

    def to_values(self, flat: np.ndarray) -> list[float]:
        return [float(np.exp(u) if p.log else u) for p, u in zip(self.priors, flat, strict=True)]


@dataclass(frozen=True)
class Kernel:
    """The previous population on the flat scale, and the Gaussian that moves its particles, truncated to the
    priors' box lever by lever: with many levers, an untruncated move almost never lands inside all of them."""

    flat: np.ndarray  # particles x levers
    weights: np.ndarray
    sd: np.ndarray  # by lever
    low: np.ndarray  # the priors' box, by lever
    high: np.ndarray

    @classmethod
    def around(cls, population: Population, space: Space) -> Kernel:
        """Twice each lever's weighted variance, lever by lever (a full covariance would be singular
        with fewer particles than levers); floored so that a collapsed lever can still move."""
        flat = np.array([space.to_flat(particle.values) for particle in population.particles])
        weights = np.asarray(population.weights)
        variance = np.sum(weights[:, None] * (flat - np.sum(weights[:, None] * flat, axis=0)) ** 2, axis=0)
        variance = np.maximum(2 * variance, (1e-6 * (space.high - space.low)) ** 2)
        return cls(flat, weights, np.sqrt(variance), space.low, space.high)

    def _bounds(self, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The box in standard deviations from each centre (truncnorm's a and b)."""
        return (self.low - centres) / self.sd, (self.high - centres) / self.sd

    def move(self, parent: int, rng: np.random.Generator) -> np.ndarray:
        """A move of particle ``parent``, inside the box."""
        centre = self.flat[parent]
        return truncnorm.rvs(*self._bounds(centre), loc=centre, scale=self.sd, size=centre.shape, random_state=rng)

    def density(self, point: np.ndarray) -> float:
        """Proposal density at ``point``: the weighted mixture of truncated kernels around the particles."""
        per_lever = truncnorm.pdf(point, *self._bounds(self.flat), loc=self.flat, scale=self.sd)
        return float(np.sum(self.weights * np.prod(per_lever, axis=1)))


def candidate(space: Space, kernel: Kernel | None, seed: int, generation: int, index: int) -> tuple[list[float], int]:
    """Lever values and run seed of candidate ``index`` of ``generation``: a pure function of its
    numbers, whichever worker simulates it."""
    rng = np.random.default_rng([seed, generation, index])
    if kernel is None:
        flat = rng.uniform(space.low, space.high)
    else:
        flat = kernel.move(int(rng.choice(len(kernel.weights), p=kernel.weights)), rng)
    return space.to_values(flat), int(rng.integers(0, 2**31 - 1))


def _evaluate(
    scenario: Scenario, values: list[float], run_seed: int, priors: list[Prior], scale: float | None, targets: Targets
) -> Evaluation:
    """One candidate, on a worker; a run given up (corridor/fit/give_up.py) is infinitely far, so that no
    epsilon accepts it."""
    overrides = as_overrides(dict(zip([prior.key for prior in priors], values, strict=True)), priors)
    scores, total = scored_run(scenario, overrides, run_seed, scale, targets)
    return Evaluation(values, run_seed, scores, targets.distance_of(scores), total)


def fit_posterior(
    scenario: Scenario | str | Path,
    targets: Targets,
    path: Path,
    n_particles: int,
    n_generations: int,
    scheduler: str | None = None,
    workers: int = 2,
    scale: float | None = None,
    seed: int | None = None,
    priors_file: str | Path | None = None,
    around_scenario: float | None = None,
    resume: bool = False,
    on_simulation: Callable[[Evaluation], None] | None = None,
    progress: bool = True,
) -> Posterior:
    """Run ABC-SMC until the file at ``path`` holds ``n_generations`` populations of ``n_particles``.

    ``resume`` continues the fit stored there (it must have the same scenario, seed, scale, priors
    and targets); without it an existing file is refused. With ``targets`` ending before the last
    observed months (a hold-out), runs see the push drivers dated within the fit window only. With
    ``around_scenario``, each prior is narrowed to that share of its range around the scenario's value."""
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    priors = load_priors(scenario, priors_file)
    if around_scenario is not None:
        priors = narrowed_around(priors, scenario_values(scenario, priors), around_scenario)
    targets = targets.clipped_to(scenario.config.start, scenario.config.end)
    seed = scenario.config.seed if seed is None else seed
    fresh = Posterior(
        scenario=scenario.config.name,
        scenario_sha256=scenario.content_sha256(),
        seed=seed,
        scale=scale,
        holdout=targets.end < HOLDOUT_START,
        n_particles=n_particles,
        priors=priors,
        targets=targets_record(targets),
    )
    posterior = _opened(path, fresh, resume)
    seen_from_fit_end = scenario.data_known_by(targets.end)
    with dask_client(scheduler, workers) as client:
        sampler = _Sampler(
            client,
            client.scatter(seen_from_fit_end, broadcast=True, hash=False),
            posterior,
            path,
            targets,
            on_simulation,
        )
        sampler.run(n_generations, progress)
    return posterior


def _opened(path: Path, fresh: Posterior, resume: bool) -> Posterior:
    if not Path(path).exists():
        if resume:
            raise ScenarioError(path, "no fit to resume here", expected="an existing posterior file, or no --resume")
        fresh.save(path)
        return fresh
    if not resume:
        raise ScenarioError(
            path, "a posterior is already stored here", expected="--resume to continue it, or another file"
        )
    stored = Posterior.load(path)
    for key, value in fresh.identity().items():
        if stored.identity()[key] != value:
            raise ScenarioError(
                path, "the stored fit was made otherwise", field=key, found=stored.identity()[key], expected=value
            )
    return stored


class _Sampler:
    """Simulates candidates on the cluster, batch by batch, and records each in the file."""

    def __init__(
        self,
        client: Client,
        scenario,
        posterior: Posterior,
        path: Path,
        targets: Targets,
        on_simulation: Callable[[Evaluation], None] | None,
    ) -> None:
        self.client, self.scenario, self.posterior, self.path = client, scenario, posterior, Path(path)
        self.targets, self.on_simulation = targets, on_simulation
        self.space = Space(posterior.priors)

    def run(self, n_generations: int, progress: bool) -> None:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"),
        )
        with Progress(*columns, disable=not progress) as bar:
            while len(self.posterior.populations) < n_generations:
                generation = len(self.posterior.populations)
                task = bar.add_task(
                    f"generation {generation + 1}/{n_generations}", total=self.posterior.n_particles, note=""
                )
                if not self._generation(generation, bar, task):
                    bar.console.print(
                        f"generation {generation + 1}: fewer than {self.posterior.n_particles} accepted "
                        f"in {MAX_BATCHES} batches; the posterior is generation {generation}"
                    )
                    return

    def _generation(self, generation: int, bar: Progress, task) -> bool:
        n = self.posterior.n_particles
        previous = self.posterior.populations[-1] if self.posterior.populations else None
        kernel = Kernel.around(previous, self.space) if previous else None
        epsilon = float(np.median([p.distance for p in previous.particles])) if previous else float("inf")
        for batch in range(MAX_BATCHES):
            indexes = range(batch * n, (batch + 1) * n)
            self._simulate(
                [k for k in indexes if k not in self.posterior.pending], generation, kernel, bar, task, epsilon
            )
            accepted = self._accepted(epsilon)
            if len(accepted) >= n:
                self._close(generation, accepted[:n], kernel, epsilon, (batch + 1) * n)
                return True
        return False

    def _accepted(self, epsilon: float) -> list[int]:
        """Candidates within epsilon; a run given up (infinite distance) never, not even from the priors."""
        pending = self.posterior.pending.items()
        return sorted(
            k for k, evaluation in pending if evaluation.distance <= epsilon and np.isfinite(evaluation.distance)
        )

    def _simulate(
        self, indexes: list[int], generation: int, kernel: Kernel | None, bar: Progress, task, epsilon: float
    ) -> None:
        futures = {}
        for k in indexes:
            values, run_seed = candidate(self.space, kernel, self.posterior.seed, generation, k)
            future = self.client.submit(
                _evaluate,
                self.scenario,
                values,
                run_seed,
                self.posterior.priors,
                self.posterior.scale,
                self.targets,
                pure=False,
            )
            futures[future] = k
        for future in as_completed(futures):
            evaluation = future.result()
            self.posterior.pending[futures[future]] = evaluation
            self.posterior.save(self.path)
            accepted = len(self._accepted(epsilon))
            bar.update(
                task,
                completed=min(accepted, self.posterior.n_particles),
                note=f"epsilon {epsilon:.2f}, {len(self.posterior.pending)} simulated",
            )
            if self.on_simulation is not None:
                self.on_simulation(evaluation)

    def _close(
        self, generation: int, accepted: list[int], kernel: Kernel | None, epsilon: float, simulations: int
    ) -> None:
        particles = [self.posterior.pending[k] for k in accepted]
        if kernel is None:
            weights = np.ones(len(particles))
        else:
            weights = np.array([1 / kernel.density(self.space.to_flat(p.values)) for p in particles])
        population = Population(epsilon, particles, list(weights / weights.sum()), simulations)
        self.posterior.populations.append(population)
        self.posterior.pending = {}
        self.posterior.save(self.path)
