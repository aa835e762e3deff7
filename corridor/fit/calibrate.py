"""Calibration: optuna's TPE proposes lever values within the priors, Dask workers simulate them,
and every finished trial is stored in an RDB (sqlite) study at once, so a calibration that is
interrupted resumes where it stopped and loses no finished trial."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import optuna
from distributed import Client, as_completed
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from corridor.fit.backend import dask_client, slots
from corridor.fit.fitted import write_fitted_scenario
from corridor.fit.give_up import scored_run
from corridor.fit.priors import Prior, as_overrides, load_priors, scenario_values
from corridor.fit.report import write_fit_report
from corridor.fit.study import FAIL, SCORES_ATTR, SERIES_ATTR, finished_trials, open_study, storage_for
from corridor.fit.targets import Targets
from corridor.observed import OBSERVED_UNTIL
from corridor.runner import simulate
from corridor.scenario.load import Scenario, load_scenario


@dataclass(frozen=True)
class Calibration:
    study: optuna.Study
    priors: list[Prior]
    targets: Targets
    scenario: Path | None = None  # the fitted scenario folder, when one was written
    report: Path | None = None

    @property
    def best(self) -> dict[str, float]:
        return dict(self.study.best_params)


def calibrate(
    scenario: Scenario | str | Path,
    targets: Targets,
    n_trials: int,
    scheduler: str | None = None,
    storage: str | None = None,
    study_name: str | None = None,
    scale: float | None = None,
    seed: int | None = None,
    workers: int = 2,
    out: Path | None = None,
    on_trial: Callable[[optuna.trial.FrozenTrial], None] | None = None,
    priors_file: str | Path | None = None,
    start_from_scenario: bool = True,
) -> Calibration:
    """Run the study until it holds ``n_trials`` finished trials (counting those of earlier runs).

    A new study's first trial runs the scenario's own values, unless ``start_from_scenario`` is False (a
    hold-out: those values were fitted with the months it leaves out); TPE's first trials are then drawn
    from the priors alone. Every trial simulates with the same
    seed (the scenario's unless ``seed`` is given), so two trials differ only by their levers. With ``out``, the
    best values are written as a new scenario folder ``out`` with a fit report ``out/fit_report.html`` (its map
    drawn from one run of the fitted scenario at the trials' scale and seed); ``storage``
    then defaults to a sqlite file next to ``out``. ``on_trial`` is called after each stored trial. Trials see
    the push drivers dated within the fit window only (see ``Scenario.data_known_by``), and end with the
    observed data (forecast months are never scored).
    ``priors_file`` replaces the scenario's priors.yaml (a fit in stages fits a few levers at a time)."""
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    priors = load_priors(scenario, priors_file)
    config = scenario.config
    targets = targets.clipped_to(config.start, config.end)
    seed = config.seed if seed is None else seed
    if storage is None and out is not None:
        storage = storage_for(Path(out))
    first = scenario_values(scenario, priors) if start_from_scenario else None
    study = open_study(storage, study_name or (Path(out).name if out else config.name), seed, first)
    # trials stop with the observed data (a hold-out still sees its months to Sep 2023)
    seen_from_fit_end = scenario.data_known_by(targets.end).ending_by(OBSERVED_UNTIL)
    with dask_client(scheduler, workers) as client:
        _run_trials(client, study, seen_from_fit_end, priors, targets, n_trials, seed, scale, on_trial)
    result = Calibration(study, priors, targets)
    if out is None:
        return result
    folder = write_fitted_scenario(scenario, as_overrides(study.best_params, priors), Path(out), study)
    fitted = load_scenario(folder)
    best_run = simulate(fitted.ending_by(OBSERVED_UNTIL), seed=seed, scale=scale)  # the map's traffic
    report = write_fit_report(result, folder / "fit_report.html", best_run, fitted)
    return Calibration(study, priors, targets, folder, report)


def _run_trials(
    client: Client,
    study: optuna.Study,
    scenario: Scenario,
    priors: list[Prior],
    targets: Targets,
    n_trials: int,
    seed: int,
    scale: float | None,
    on_trial: Callable[[optuna.trial.FrozenTrial], None] | None,
) -> None:
    """Ask-and-tell: keep every worker busy with one trial, tell each result as it arrives."""
    shared = client.scatter(scenario, broadcast=True, hash=False)
    running: dict = {}
    queue = as_completed()

    def submit() -> None:
        trial = study.ask()
        overrides = as_overrides({prior.key: prior.suggest(trial) for prior in priors}, priors)
        future = client.submit(scored_run, shared, overrides, seed, scale, targets, pure=False)
        running[future] = trial
        queue.add(future)

    done = len(finished_trials(study))
    columns = (
        TextColumn("calibrating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[best]}"),
    )
    with Progress(*columns, transient=True) as progress:  # off when the output is not a terminal
        task = progress.add_task("trials", total=n_trials, completed=done, best=_best_text(study))
        for _ in range(min(slots(client), n_trials - done)):
            submit()
        for future in queue:
            trial = running.pop(future)
            try:
                scores, series = future.result()
            except Exception:
                study.tell(trial, state=FAIL)
                raise
            trial.set_user_attr(SERIES_ATTR, series)
            trial.set_user_attr(SCORES_ATTR, scores)
            frozen = study.tell(trial, targets.distance_of(scores))
            done += 1
            progress.update(task, completed=done, best=_best_text(study))
            if on_trial is not None:
                on_trial(frozen)
            if done + len(running) < n_trials:
                submit()


def _best_text(study: optuna.Study) -> str:
    try:
        return f"best distance {study.best_value:.2f}"
    except ValueError:
        return ""
