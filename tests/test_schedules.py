"""Lever schedules taken from data: the built-in scenario's Title 42 shares, month by month."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
from conftest import US_MEXICO

from corridor.models.us_mexico.phases.us_processing import title42_probability
from corridor.runner import assemble
from corridor.scenario.load import load_scenario

SCHEDULE = US_MEXICO / "title42_shares.csv"


def _parameters_on(scenario, date: str):
    """Parameters of the scenario after its timeline has run up to ``date``."""
    sim = assemble(scenario).run.sim
    for day in range((pd.Timestamp(date).date() - scenario.config.start).days + 1):
        sim.timeline.apply(sim.params, day)
    return sim.world, sim.params


def test_the_shipped_schedule_is_what_its_script_writes_from_the_data():
    spec = importlib.util.spec_from_file_location("make_title42_shares", US_MEXICO / "make_title42_shares.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = script.schedule_rows().reset_index(drop=True)
    shipped = pd.read_csv(SCHEDULE)
    pd.testing.assert_frame_equal(written, shipped, check_dtype=False)


def test_each_month_sets_the_observed_shares_of_single_adults_and_families():
    scenario = load_scenario(US_MEXICO)
    world, params = _parameters_on(scenario, "2021-07-20")
    table = pd.read_csv(SCHEDULE)
    july = table[table["date"] == "2021-07-01"]
    probability = title42_probability(params)
    for demographic, lever in ((0, "title42.expel_share"), (1, "title42.family_share")):
        rows = july[july["lever"] == lever]
        assert len(rows) >= 8
        for group, value in zip(rows["where"], rows["value"], strict=True):
            assert probability[world.groups.index(group), demographic] == value
    # by July 2021 Mexico took back few Central American families, while it still took the single adults
    guatemala = world.groups.index("guatemala")
    assert probability[guatemala, 1] < 0.5 * probability[guatemala, 0]
    assert np.all(probability[:, 2] == 0)


def test_after_title42_ended_nobody_is_expelled_whatever_the_last_shares():
    scenario = load_scenario(US_MEXICO)
    _, params = _parameters_on(scenario, "2023-06-01")
    assert params["title42.expel_share"].max() > 0.5
    assert np.all(title42_probability(params) == 0)


def test_a_holdout_keeps_the_last_shares_known_before_it():
    scenario = load_scenario(US_MEXICO)
    seen = scenario.data_known_by(pd.Timestamp("2023-03-31"))
    assert max(row.date for row in seen.schedules).isoformat() == "2023-03-01"
    assert max(row.date for row in scenario.schedules).isoformat() == "2023-04-01"
    _, params = _parameters_on(seen, "2023-05-05")
    _, march = _parameters_on(scenario, "2023-03-15")
    assert np.array_equal(params["title42.family_share"], march["title42.family_share"])


def test_levers_table_counts_each_levers_dated_changes_by_file(monkeypatch):
    from typer.testing import CliRunner

    from corridor import cli

    monkeypatch.setattr(cli.console, "width", 250)  # one table row per line, whatever the terminal
    result = CliRunner().invoke(cli.app, ["levers", str(US_MEXICO)])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[2].strip(): line for line in result.output.splitlines() if line.count("│") > 3}
    schedule_rows = pd.read_csv(SCHEDULE)
    expelled = int((schedule_rows["lever"] == "title42.expel_share").sum())
    assert f"{expelled} in title42_shares.csv" in rows["title42.expel_share"]
    assert "policies.yaml" in rows["mexico.effort"]
    dated = {located.event.lever for located in load_scenario(US_MEXICO).timeline_events()}
    undated = [lever for lever in rows if lever not in dated and "." in lever]
    assert undated and all(rows[lever].split("│")[6].strip() == "" for lever in undated)
