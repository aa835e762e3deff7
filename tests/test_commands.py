"""Every command on every scenario kind, through the real command line: it runs, or it exits 2
with one line saying why it does not apply (never a traceback)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import yaml
from conftest import US_MEXICO, shortened_copy
from typer.testing import CliRunner

from corridor import cli
from corridor.cli import app
from corridor.fit.targets import TARGETS

MALI = Path(__file__).resolve().parent / "data" / "flee" / "mali2012"
runner = CliRunner()


@pytest.fixture(scope="module")
def us_mexico(tmp_path_factory) -> Path:
    """One quarter of FY2022 at one agent per 100 people (the smallest run the reports still fill)."""
    return shortened_copy(
        tmp_path_factory.mktemp("commands") / "us_mexico",
        start="2021-10-01",
        end="2021-12-31",
        report_start="2021-10-01",
        scale=0.01,
    )


@pytest.fixture(scope="module")
def flee(tmp_path_factory) -> Path:
    """mali2012 imported with `corridor import-flee`, cut to its first 20 days."""
    folder = tmp_path_factory.mktemp("commands") / "mali"
    assert runner.invoke(app, ["import-flee", str(MALI), "--out", str(folder)]).exit_code == 0
    config = yaml.safe_load((folder / "scenario.yaml").read_text())
    (folder / "scenario.yaml").write_text(yaml.safe_dump({**config, "days": 20}, sort_keys=False))
    return folder


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Tables wide enough that no name is folded across lines."""
    monkeypatch.setattr(cli.console, "width", 250)


def invoke(*args) -> tuple[int, str]:
    result = runner.invoke(app, [str(arg) for arg in args])
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 2), (result.exception, result.output)
    return result.exit_code, result.output


def does_not_apply(output: str, command: str, kind: str) -> bool:
    """One line: the error, naming the command and the kind of scenario."""
    lines = output.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("error:") and f"'{command}' does not apply to a {kind}" in lines[0]


# --- US–Mexico scenario ---------------------------------------------------------------------------------


def test_run_us_mexico(us_mexico, tmp_path):
    code, output = invoke("run", us_mexico, "--out", tmp_path, "--no-report", "--set", "title42.active=0")
    assert code == 0 and "seconds per phase" in output and (tmp_path / "results.nc").is_file()


def test_levers_us_mexico(us_mexico):
    code, output = invoke("levers", us_mexico)
    assert code == 0 and "title42.active" in output and "route.choice_sharpness" in output


def test_levers_filtered_with_indexed_values(us_mexico):
    code, output = invoke("levers", us_mexico, "--grep", "visa")
    assert code == 0 and "visa.required" in output and "title42.active" not in output
    assert "1: cuba, haiti" in output and "varies" not in output  # the entries that hold each value
    code, output = invoke("levers", us_mexico, "--mechanism", "travel")
    assert code == 0 and "travel.speed_km_day" in output and "visa.required" not in output


def test_set_help_keeps_its_brackets():
    code, output = invoke("run", "--help")
    assert code == 0 and "lever[where]=value" in output


def test_plan_us_mexico(us_mexico):
    code, output = invoke("plan", us_mexico)
    assert code == 0 and output.index("departure") < output.index("route_choice") < output.index("bookkeeping")


def test_ensemble_us_mexico(us_mexico):
    code, output = invoke("ensemble", us_mexico, "-n", 2, "--workers", 1)
    assert code == 0 and "median of members" in output and "seed " in output


def test_compare_us_mexico(us_mexico):
    code, output = invoke("compare", us_mexico, "-n", 2, "--workers", 1, "--set", "title42.active=0")
    names = "".join(line.split("│")[1].strip() for line in output.splitlines() if line.count("│") > 2)
    assert code == 0 and "swb_encounters" in names  # a long name wraps in its cell at 80 columns


def test_calibrate_us_mexico(us_mexico, tmp_path):
    code, output = invoke("calibrate", us_mexico, "--trials", 2, "--workers", 1, "--out", tmp_path / "fitted")
    assert code == 0 and "fitted scenario" in output and (tmp_path / "fitted" / "scenario.yaml").is_file()


def test_fit_then_an_ensemble_drawn_from_its_posterior(us_mexico, tmp_path):
    posterior = tmp_path / "posterior.json"
    code, output = invoke(
        "fit", us_mexico, "--particles", 2, "--generations", 1, "--workers", 1, "--target", "bp,ofo", "--out", posterior
    )
    assert code == 0 and "targets: MAPE" in output and "posterior mean" in output and posterior.is_file()
    code, output = invoke("ensemble", us_mexico, "-n", 2, "--workers", 1, "--posterior", posterior, "--out", tmp_path)
    assert code == 0 and "parameter uncertainty and chance" in output


def test_validate_flee_us_mexico(us_mexico):
    code, output = invoke("validate-flee", us_mexico)
    assert code == 2 and does_not_apply(output, "validate-flee", "US–Mexico corridor scenario")


def test_import_flee_us_mexico(tmp_path):
    code, output = invoke("import-flee", US_MEXICO, "--out", tmp_path / "x")
    assert code == 2 and output.startswith("error:") and "Flee folder layout" in output
    assert not (tmp_path / "x" / "scenario.yaml").exists()


# --- Flee scenario (mali2012, imported) -----------------------------------------------------------------


def test_run_flee(flee, tmp_path):
    code, output = invoke("run", flee, "--out", tmp_path, "--no-report")
    assert code == 0 and "Flee validation error" in output and (tmp_path / "results.nc").is_file()


@pytest.mark.parametrize("option", [["--set", "mexico.effort=2"], ["--scale", "0.5"]])
def test_run_flee_refuses_levers_and_scale(flee, tmp_path, option):
    code, output = invoke("run", flee, "--out", tmp_path, *option)
    assert code == 2 and len(output.strip().splitlines()) == 1 and f"error: {option[0]}: " in output
    assert not (tmp_path / "results.nc").exists()


@pytest.mark.parametrize("command", ["levers", "ensemble", "compare", "calibrate", "fit", "counterfactuals", "serve"])
def test_lever_commands_do_not_apply_to_flee(flee, command):
    code, output = invoke(command, flee)
    assert code == 2 and does_not_apply(output, command, "Flee scenario")


def test_plan_flee(flee):
    code, output = invoke("plan", flee)
    assert code == 0 and output.index("spawn") < output.index("move") < output.index("record")


def test_validate_flee_flee(flee):
    code, output = invoke("validate-flee", flee, "--seeds", 1)
    assert code == 0 and "overall" in output


def test_import_flee_flee(tmp_path):
    code, _ = invoke("import-flee", MALI, "--out", tmp_path / "mali")
    assert code == 0 and "ruleset: flee" in (tmp_path / "mali" / "scenario.yaml").read_text()


def test_the_target_help_names_every_target():
    for name in TARGETS:
        assert f" {name}," in cli.TARGET_HELP, name


def test_serve_on_a_port_in_use_exits_2_naming_the_port_before_starting_any_run(us_mexico):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = invoke("serve", us_mexico, "--no-open", "--port", port)
    lines = output.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: --port: cannot listen on 127.0.0.1:")
    assert f"found {port}" in lines[0]
