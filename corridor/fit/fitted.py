"""The product of a calibration: a new scenario folder, a copy of the input whose scenario.yaml
carries the fitted values in its ``parameters:`` block, so a fitted scenario runs like any other."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from pathlib import Path

import optuna
import yaml

from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import Scenario


def merged_parameters(parameters: Mapping, fitted: Mapping) -> dict:
    """The scenario's parameters with ``fitted`` overrides on top, as ``simulate`` applies them:
    a scalar replaces a lever entirely, a ``{where: value}`` updates those entries only."""
    merged = {name: dict(value) if isinstance(value, Mapping) else value for name, value in parameters.items()}
    for name, value in fitted.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name].update(value)
        elif isinstance(value, Mapping) and name in merged:
            raise ScenarioError("priors.yaml", f"lever '{name}' is one value in scenario.yaml, "
                                "so it cannot be fitted per entry", key=name)
        else:
            merged[name] = value
    return merged


def write_fitted_scenario(scenario: Scenario, fitted: Mapping, out: Path, study: optuna.Study) -> Path:
    """Copy the scenario folder to ``out`` (created or refreshed) and merge ``fitted`` into its
    scenario.yaml; a header comment says which study produced it."""
    out = Path(out)
    if out.resolve() == scenario.folder.resolve():
        raise ScenarioError(out, "the fitted scenario must go to a new folder", expected="a path other than the input")
    shutil.copytree(scenario.folder, out, dirs_exist_ok=True)
    yaml_path = out / "scenario.yaml"
    raw = yaml.safe_load(yaml_path.read_text())
    raw["parameters"] = merged_parameters(raw.get("parameters") or {}, fitted)
    raw["description"] = f"{raw.get('description', '')} Fitted by corridor calibrate.".strip()
    header = (f"# Fitted {dt.date.today()} from {scenario.folder} by corridor calibrate: study "
              f"'{study.study_name}', best of {len(study.trials)} trials, distance {study.best_value:.2f}.\n"
              "# Comments of the original scenario.yaml are not kept; see the original folder.\n")
    yaml_path.write_text(header + yaml.safe_dump(raw, sort_keys=False, width=110))
    return out
