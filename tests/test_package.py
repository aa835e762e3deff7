"""The installed package: its version on the command line, and the files it must carry in a wheel."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from typer.testing import CliRunner

import corridor
from corridor import cli, observed
from corridor.resources import builtin_scenario, data_folder

PACKAGE = Path(corridor.__file__).parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"


def test_version_prints_the_installed_distribution_version():
    result = CliRunner().invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"corridor {version('corridor')}"


def test_the_builtin_scenario_and_the_observed_data_resolve_inside_the_package(monkeypatch):
    monkeypatch.delenv(observed.DATA_ENV_VAR, raising=False)
    scenario = builtin_scenario()
    assert scenario.parent.parent == PACKAGE
    assert (scenario / "scenario.yaml").is_file()
    assert scenario == cli.DEFAULT_SCENARIO
    assert observed.data_dir() == data_folder()
    assert (data_folder() / observed.SWB_TOTALS_FILE).is_file()
    assert observed.sw_border_total().sum() > 0


def test_every_packaged_file_matches_a_package_data_pattern():
    """A file added to a built-in scenario or to the data, of a kind pyproject.toml does not list,
    would be missing from the wheel while every test run from the source tree still passes."""
    patterns = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]["corridor"]
    shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern)}
    on_disk = {
        path
        for folder in ("data", "scenarios")
        for path in (PACKAGE / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert on_disk - shipped == set()
    assert (PACKAGE / "py.typed") in shipped
