"""The models that run on corridor's engine, one package per ruleset, and the registry that picks
a scenario's model: by the ``ruleset`` key of its scenario.yaml (``us_mexico`` when absent).

Every model offers the same few things, so that ``simulate`` and every command are written once:

* ``load(folder)``: its scenario folder, read and checked;
* ``build(scenario, seed, overrides, scale) -> Run``: the world, the day's phases, the lever values,
  the timeline and the simulation state, assembled (a ScenarioError where an option does not apply);
* ``results(run, scenario, stats) -> Dataset`` and ``agent_steps(run)``, after the run;
* ``not_applicable``: command -> why it does not apply to this model's scenarios.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, ClassVar, Protocol

import xarray as xr

from corridor.engine.loop import Run
from corridor.scenario.errors import ScenarioError


class Model(Protocol):
    ruleset: str
    title: str
    not_applicable: ClassVar[dict[str, str]]

    @property
    def scenario_type(self) -> type:  # read-only, so that a model may name its own scenario class
        ...

    def load(self, folder: Path) -> Any: ...

    def build(
        self, scenario: Any, seed: int | None = None, overrides: Any = None, scale: float | None = None
    ) -> Run: ...

    def results(self, run: Run, scenario: Any, stats: dict) -> xr.Dataset: ...

    def agent_steps(self, run: Run) -> int: ...


MODEL_MODULES = {"us_mexico": "corridor.models.us_mexico.model", "flee": "corridor.models.flee.simulate"}
"""Where each ruleset's ``MODEL`` is, imported on first use and only for a scenario of that ruleset:
the Flee model brings its report (matplotlib) with it, which a US–Mexico run without one never needs."""


def _imported(ruleset: str) -> Model:
    return importlib.import_module(MODEL_MODULES[ruleset]).MODEL


def model_named(ruleset: object, origin: str | Path) -> Model:
    """The model of a scenario.yaml's ``ruleset`` value (``origin`` names that file in an error)."""
    if not isinstance(ruleset, str) or ruleset not in MODEL_MODULES:
        raise ScenarioError(
            origin, "unknown ruleset", key="ruleset", found=ruleset, expected=f"one of {', '.join(MODEL_MODULES)}"
        )
    return _imported(ruleset)


def model_for(scenario: Any) -> Model:
    """The model that runs a loaded scenario (see :func:`corridor.scenario.load.load_scenario`)."""
    return next(model for model in map(_imported, MODEL_MODULES) if model.scenario_type is type(scenario))


def model_for_command(command: str, scenario: Any, origin: str | Path) -> Model:
    """The scenario's model, or a ScenarioError (exit 2) saying why ``command`` does not apply to it."""
    model = model_for(scenario)
    if command in model.not_applicable:
        raise ScenarioError(
            origin, f"'{command}' does not apply to a {model.title} scenario: {model.not_applicable[command]}"
        )
    return model
