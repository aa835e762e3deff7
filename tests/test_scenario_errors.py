"""A malformed scenario gets one located message (file, row or key, field, found, expected) and
exit code 2 from the real command line, never a traceback."""

from __future__ import annotations

import re

import pytest
from conftest import shortened_copy
from typer.testing import CliRunner

from corridor.cli import app


def run_cli(*args: str):
    return CliRunner().invoke(app, list(args))


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def scenario(tmp_path):
    return shortened_copy(tmp_path / "s", start="2022-01-01", end="2022-01-10", report_start="2022-01-01", scale=0.001)


def assert_located(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = re.sub(r"\s+", " ", result.output)
    for fragment in fragments:
        assert fragment in text, text


def test_missing_file(scenario):
    (scenario / "routes.csv").unlink()
    assert_located(run_cli("run", str(scenario)), "routes.csv", "file not found")


def test_unknown_place_in_a_route(scenario):
    edit(scenario / "routes.csv", "Caracas,Cucuta,bus", "Caracas,Atlantis,bus")
    assert_located(run_cli("run", str(scenario)), "routes.csv", "row 2", "field 'to'", "unknown place", "Atlantis")


def test_negative_rate(scenario):
    edit(scenario / "origins.csv", ",900,0.45,", ",-900,0.45,")
    assert_located(run_cli("run", str(scenario)), "origins.csv", "row 2", "field 'daily_departures'", "-900")


def test_bad_date(scenario):
    edit(scenario / "policies.yaml", "date: '2019-01-29'", "date: '2019-13-45'")
    assert_located(run_cli("run", str(scenario)), "policies.yaml", "row 1", "date", "2019-13-45")


def test_wrong_column(scenario):
    edit(scenario / "places.csv", "name,kind,country", "nom,kind,country")
    assert_located(run_cli("run", str(scenario)), "places.csv", "row 1", "missing column 'name'")


def test_period_that_ends_before_it_starts(tmp_path):
    broken = shortened_copy(tmp_path / "s", start="2022-01-10", end="2022-01-01", report_start=None)
    assert_located(run_cli("run", str(broken)), "scenario.yaml", "end")


def test_unknown_lever_in_a_policy_event(scenario):
    edit(scenario / "policies.yaml", "lever: mpp.active", "lever: mpp.activ")
    assert_located(run_cli("run", str(scenario)), "policies.yaml", "unknown lever", "mpp.activ")


def test_unknown_lever_on_the_command_line(scenario):
    assert_located(run_cli("run", str(scenario), "--set", "checkpoint.count=3"), "unknown lever", "checkpoint.count")


def test_value_out_of_range_on_the_command_line(scenario):
    assert_located(
        run_cli("run", str(scenario), "--set", "detention.max_hours=-1"), "out of range", "detention.max_hours"
    )


def test_a_valid_run_writes_results_and_report(scenario, tmp_path):
    result = run_cli("run", str(scenario), "--out", str(tmp_path / "out"), "--seed", "3")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "results.nc").is_file()
    assert "<figure><svg" in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.parametrize(
    ("row_text", "broken", "fragments"),
    [
        (
            "title42.expel_share,guatemala,",
            "title42.expel_share,guatemal,",
            ("row 3", "field 'where'", "unknown group", "guatemal"),
        ),
        ("title42.expel_share,mexico,0.931", "title42.expel_share,mexico,most", ("row 2", "field 'value'", "most")),
        (
            "title42.expel_share,mexico,0.931",
            "title42.expel_share,mexico,93.1",
            ("row 2", "field 'value'", "out of range", "93.1"),
        ),
    ],
)
def test_a_bad_schedule_row(scenario, row_text, broken, fragments):
    edit(scenario / "title42_shares.csv", row_text, broken)
    assert_located(run_cli("run", str(scenario)), "title42_shares.csv", *fragments)


def test_value_out_of_range_in_a_policy_event(scenario):
    edit(
        scenario / "policies.yaml",
        "lever: mpp.active\n  action: set\n  value: 1",
        "lever: mpp.active\n  action: set\n  value: 7",
    )
    assert_located(run_cli("run", str(scenario)), "policies.yaml", "key 'events[1]'", "out of range", "mpp.active")
