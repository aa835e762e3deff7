"""The optuna study as stored in its RDB file: opening it, what each trial keeps, and repairing
the trials an interrupted calibration left running."""

from __future__ import annotations

from pathlib import Path

import optuna
import pandas as pd

SERIES_ATTR = "swb_monthly"  # per trial: the run's SW-border total per month, so reports need no re-run
SCORES_ATTR = "target_mape"  # per trial: each target's MAPE
COMPLETE, RUNNING, FAIL = (
    optuna.trial.TrialState.COMPLETE,
    optuna.trial.TrialState.RUNNING,
    optuna.trial.TrialState.FAIL,
)


def storage_for(out: Path) -> str:
    """The study's sqlite file, kept next to the fitted scenario folder it produces."""
    return f"sqlite:///{Path(out).parent.resolve() / (Path(out).name + '.optuna.db')}"


def open_study(storage: str | None, name: str, seed: int, first: dict[str, float] | None) -> optuna.Study:
    """Create the study (its first trial asks ``first``, when given) or load it to resume;
    ``constant_liar`` keeps parallel TPE proposals apart."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        storage=storage,
        study_name=name,
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed, constant_liar=True),
        load_if_exists=True,
    )
    if not study.trials and first is not None:
        study.enqueue_trial(first)
    _requeue_interrupted(study)
    return study


def _requeue_interrupted(study: optuna.Study) -> None:
    """Trials left running by an interrupted calibration are failed and their values asked again."""
    for trial in study.get_trials(deepcopy=False, states=(RUNNING,)):
        study.enqueue_trial(trial.params, skip_if_exists=True)
        study.tell(trial.number, state=FAIL)


def finished_trials(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    return study.get_trials(deepcopy=False, states=(COMPLETE,))


def series_attr(series: pd.Series) -> dict[str, float]:
    """A monthly series in a form the RDB storage keeps (JSON)."""
    return {f"{month:%Y-%m-%d}": float(value) for month, value in series.items()}


def trial_series(trial: optuna.trial.FrozenTrial) -> pd.Series:
    """The monthly SW-border total a trial's run produced."""
    stored = trial.user_attrs[SERIES_ATTR]
    return pd.Series(list(stored.values()), index=pd.to_datetime(list(stored.keys())), dtype="float64")
