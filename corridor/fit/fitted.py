"""The product of a calibration: a new scenario folder, a copy of the input whose scenario.yaml
carries the fitted values in its ``parameters:`` block, so a fitted scenario runs like any other."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Mapping, MutableMapping
from pathlib import Path

import optuna
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import Scenario


def merge_fitted(parameters: MutableMapping, fitted: Mapping) -> None:
    """Put ``fitted`` into the scenario's parameters as ``simulate`` applies overrides: a scalar
    replaces a lever entirely, a ``{where: value}`` updates those entries only (in place, so a
    one-line ``{a: 1, b: 2}`` stays one line and its comment stays with it)."""
    for name, value in fitted.items():
        if isinstance(value, Mapping) and isinstance(parameters.get(name), Mapping):
            parameters[name].update(value)
        elif isinstance(value, Mapping) and name in parameters:
            raise ScenarioError(
                "priors.yaml",
                f"lever '{name}' is one value in scenario.yaml, so it cannot be fitted per entry",
                key=name,
            )
        else:
            parameters[name] = value


def write_fitted_scenario(scenario: Scenario, fitted: Mapping, out: Path, study: optuna.Study) -> Path:
    """Copy the scenario folder to ``out`` (created or refreshed) and merge ``fitted`` into its
    scenario.yaml; a header comment says which study produced it."""
    out = Path(out)
    if out.resolve() == scenario.folder.resolve():
        raise ScenarioError(out, "the fitted scenario must go to a new folder", expected="a path other than the input")
    shutil.copytree(scenario.folder, out, dirs_exist_ok=True)
    yaml_path = out / "scenario.yaml"
    document = YAML()  # round trip: the comments citing each value's source stay in place
    document.width = 110
    raw = document.load(yaml_path.read_text())
    if raw.get("parameters") is None:
        raw["parameters"] = CommentedMap()
    merge_fitted(raw["parameters"], fitted)
    raw["description"] = f"{raw.get('description', '')} Fitted by corridor calibrate.".strip()
    header = (
        f"# Fitted {dt.date.today()} from {scenario.folder} by corridor calibrate: study "
        f"'{study.study_name}', best of {len(study.trials)} trials, distance {study.best_value:.2f}.\n"
    )
    text = io.StringIO()
    document.dump(raw, text)
    yaml_path.write_text(header + text.getvalue())
    return out
