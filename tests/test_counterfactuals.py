"""The articles' counterfactuals (corridor/scenarios/us_mexico/counterfactuals.yaml) and the event studies:
each event moves its outputs in the expected direction beyond seed noise (every seed pair agrees), the
command writes the table and figures, and a mistake in the declarations is one located error."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import shortened_copy
from typer.testing import CliRunner

from corridor.cli import app
from corridor.fit import counterfactuals as cf
from corridor.scenario.load import load_scenario

SEEDS = [1, 2]


def paired_runs(folder, name):
    """The scenario in ``folder`` and its counterfactual ``name``, at one agent per 100 people, with seeds
    1 and 2: (with the event, without it), monthly outputs along ``seed``."""
    scenario = load_scenario(folder)
    the_plan = cf.plan(scenario, cf.read_declarations(scenario), folder.parent / "counterfactuals", only=[name])
    results = cf.run_paired(the_plan.runs, SEEDS, scale=0.01)
    return results[the_plan.compared_with[name]], results[name]


def mean_over(months, output, start, end):
    """Each seed's mean of ``output`` over the months start..end."""
    return months[output].sel(time=slice(start, end)).mean("time")


def test_without_the_2019_tariff_threat_mexicos_effort_is_lower_and_more_people_reach_the_border(tmp_path):
    folder = shortened_copy(tmp_path / "2019", start="2019-01-01", end="2019-12-31", report_start="2019-01-01")
    with_threat, without = paired_runs(folder, "no_tariff_threat_2019")
    effort_with = mean_over(with_threat, "mexico_effort", "2019-07", "2019-12")
    effort_without = mean_over(without, "mexico_effort", "2019-07", "2019-12")
    assert (effort_with - effort_without > 0.3).all(), (effort_with.values, effort_without.values)
    encounters_with = mean_over(with_threat, "swb_encounters", "2019-07", "2019-12")
    encounters_without = mean_over(without, "swb_encounters", "2019-07", "2019-12")
    assert (encounters_without > encounters_with).all(), (encounters_with.values, encounters_without.values)


def test_the_end_of_title42_raises_the_title8_share_of_encounters(tmp_path):
    folder = shortened_copy(tmp_path / "2023", start="2023-02-01", end="2023-09-30", report_start="2023-02-01")
    ended, kept = paired_runs(folder, "title42_not_ended_2023")
    before = mean_over(ended, "title8_share", "2023-03", "2023-04") - mean_over(
        kept, "title8_share", "2023-03", "2023-04"
    )
    assert (abs(before) < 1e-12).all()  # the same seeds give the same months before the event
    after_ended = mean_over(ended, "title8_share", "2023-06", "2023-09")
    after_kept = mean_over(kept, "title8_share", "2023-06", "2023-09")
    assert (after_ended > 0.95).all()
    assert (after_ended - after_kept > 0.2).all(), (after_ended.values, after_kept.values)


def test_after_the_december_2023_call_mexicos_effort_rises_and_fewer_reach_the_us_border(tmp_path):
    # the scenario extended by hand to March 2024: the policy timeline and the record already hold the call
    folder = shortened_copy(tmp_path / "call", start="2023-09-01", end="2024-03-31", report_start="2023-09-01")
    with_call, without = paired_runs(folder, "no_december_2023_call")
    november = mean_over(with_call, "mexico_effort", "2023-11", "2023-11") - mean_over(
        without, "mexico_effort", "2023-11", "2023-11"
    )
    assert (abs(november) < 1e-12).all()
    effort_with = mean_over(with_call, "mexico_effort", "2024-01", "2024-02")
    effort_without = mean_over(without, "mexico_effort", "2024-01", "2024-02")
    assert (effort_with - effort_without > 1.0).all(), (effort_with.values, effort_without.values)
    # the January 2024 fall, against the run without the call: Mexico apprehends more of the people it may stop
    encounters_with = mean_over(with_call, "swb_encounters", "2024-01", "2024-02")
    encounters_without = mean_over(without, "swb_encounters", "2024-01", "2024-02")
    # (4-6% at scale 0.01, seeds 1-2, after the refit of 30 Nov 2026, which halved checkpoints.detect_each (0.049 to
    # 0.025), so that effort stops fewer at each checkpoint; 10-13% before it)
    assert (encounters_with < 0.97 * encounters_without).all(), (encounters_with.values, encounters_without.values)


def invoke(*args):
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, " ".join(result.output.split())


def test_the_command_writes_the_table_and_the_figure_and_skips_a_window_past_the_end(tmp_path):
    folder = shortened_copy(tmp_path / "short", start="2019-05-01", end="2019-07-31", report_start="2019-05-01")
    out = tmp_path / "out"
    code, output = invoke(
        "counterfactuals", folder, "--seeds", 1, "--scale", 0.01, "--workers", 1, "--out", out,
        "--only", "no_tariff_threat_2019", "--only", "no_december_2023_call",
    )  # fmt: skip
    assert code == 0, output
    assert "skipped no_december_2023_call: its window 2024-01-01..2024-03-31 lies outside" in output
    table = pd.read_csv(out / "counterfactuals.csv")
    assert list(table["counterfactual"]) == ["no_tariff_threat_2019", "no_december_2023_call"]
    tariff, call = table.to_dict("records")
    assert tariff["window"] == "Jun 2019..Jul 2019" and tariff["bargain"] == "on"
    assert float(tariff["Mexico's enforcement effort (index)"].split()[0]) < -0.2
    assert call["note"].startswith("skipped: its window") and call["window"] == "Jan 2024..Mar 2024"
    assert "| no_tariff_threat_2019 |" in (out / "counterfactuals.md").read_text()
    assert (out / "no_tariff_threat_2019.png").stat().st_size > 10_000
    assert "<figure><svg" in (out / "counterfactuals.html").read_text()


@pytest.mark.parametrize(
    ("change", "key", "found"),
    [
        (
            {"remove": ["record:2019-05-31:us_coercion"]},
            "counterfactuals[0].remove[0]",
            "record:2019-05-31:us_coercion",
        ),
        ({"set": {"title42.activ": 0}}, "counterfactuals[0].set.title42.activ", "title42.activ"),
        (
            {
                "add_policies": [
                    {"date": "2021-01-01", "lever": "aid.level", "value": 1, "where": "narnia", "source": "x"}
                ]
            },
            "counterfactuals[0].add_policies[0].lever",
            "narnia",
        ),
    ],
)
def test_a_mistake_in_the_declarations_is_one_located_error(tmp_path, change, key, found):
    folder = shortened_copy(tmp_path / "short", start="2019-05-01", end="2019-06-30", report_start="2019-05-01")
    declared = {"name": "broken", "question": "?", "window": {"start": "2019-06-01", "end": "2019-06-30"}}
    declared["sources"] = ["test"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump({"counterfactuals": [{**declared, **change}]}))
    code, output = invoke("counterfactuals", folder, "--file", path, "--out", tmp_path / "out")
    assert code == 2
    assert output.startswith(f"error: {path}: key '{key}'") and f"found '{found}'" in output, output


def test_removing_mexicos_june_2019_response_takes_away_a_share_of_the_may_to_september_fall(tmp_path):
    folder = shortened_copy(tmp_path / "fall", start="2019-01-01", end="2019-09-30", report_start="2019-01-01")
    scenario, without = paired_runs(folder, "fall_2019_without_mexicos_response")
    may = mean_over(scenario, "swb_encounters", "2019-05", "2019-05")
    fall = may - mean_over(scenario, "swb_encounters", "2019-09", "2019-09")
    assert (fall > 0).all(), fall.values
    regained = mean_over(without, "swb_encounters", "2019-09", "2019-09") - mean_over(
        scenario, "swb_encounters", "2019-09", "2019-09"
    )
    april = mean_over(scenario, "swb_encounters", "2019-04", "2019-04")
    assert (abs(mean_over(without, "swb_encounters", "2019-04", "2019-04") - april) < 1e-9).all()  # before the threat
    assert (regained / fall > 0.05).all(), (regained.values, fall.values)
