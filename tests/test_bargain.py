"""The bargain alone (corridor.models.us_mexico.bargain) over the real record with a flat encounter
input: each event study of issue 14 moves the state the way the record says, by a clear margin."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from corridor.models.us_mexico import bargain
from corridor.models.us_mexico.bilateral_record import RECORD_FILE, BilateralRecord, read_record
from corridor.scenario.errors import ScenarioError

REFERENCE = bargain.DEFAULTS["encounter_reference"]
START, END = dt.date(2019, 1, 1), dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def record() -> BilateralRecord:
    return read_record()


def run(record: BilateralRecord, encounters: float = REFERENCE, **overrides: float):
    return bargain.simulate(record, START, END, lambda day: encounters, overrides)


def mean(path, column: str, first: str, last: str) -> float:
    return float(path.loc[first:last, column].mean())


@pytest.fixture(scope="module")
def baseline(record):
    return run(record)


def test_tariff_threat_buys_the_2019_deployment(record, baseline):
    without = run(record.without("US threatens tariffs", "Tariff threat suspended"))
    with_threat = mean(baseline, "effort", "2019-07-01", "2019-12-31")
    no_threat = mean(without, "effort", "2019-07-01", "2019-12-31")
    assert with_threat > no_threat + 0.25
    assert mean(baseline, "effort", "2019-01-01", "2019-05-15") < 1.05 < with_threat - 0.3


def test_december_2023_call_raises_january_2024_effort(record, baseline):
    without = run(record.without("Biden calls Lopez Obrador"))
    assert (
        mean(baseline, "effort", "2024-01-01", "2024-01-31") > mean(without, "effort", "2024-01-01", "2024-01-31") + 0.2
    )
    assert (
        mean(baseline, "effort", "2024-01-01", "2024-01-31")
        > mean(baseline, "effort", "2023-11-01", "2023-11-30") + 0.3
    )


def test_election_season_raises_us_pressure_for_the_same_encounters(record, baseline):
    without = run(record.without("US presidential election"))
    season = mean(baseline, "us_pressure", "2020-09-01", "2020-10-31")
    quiet = mean(without, "us_pressure", "2020-09-01", "2020-10-31")
    assert season > 1.4 * quiet
    # the season ends on election day: by June 2021 pressure is back to what encounters alone give
    assert mean(baseline, "us_pressure", "2021-06-01", "2021-06-30") == pytest.approx(
        mean(without, "us_pressure", "2021-06-01", "2021-06-30"), abs=0.002
    )


def test_cienfuegos_arrest_lowers_cooperation_and_effort_for_a_while(record):
    # encounters at twice the early-2019 level, about those of late 2020 and 2021
    baseline = run(record, 2 * REFERENCE)
    without = run(record.without("Cienfuegos"), 2 * REFERENCE)  # the episode: arrest, DEA suspension, return, easing
    assert (
        mean(baseline, "grievance", "2020-11-01", "2021-03-31")
        > mean(without, "grievance", "2020-11-01", "2021-03-31") + 0.3
    )
    assert (
        mean(baseline, "security_cooperation", "2020-12-01", "2021-06-30")
        < mean(without, "security_cooperation", "2020-12-01", "2021-06-30") - 0.2
    )
    assert (
        mean(baseline, "effort", "2020-11-01", "2021-03-31")
        < mean(without, "effort", "2020-11-01", "2021-03-31") - 0.08
    )
    # for a while: two years later the arrest has (almost) washed out of effort
    assert (
        abs(mean(baseline, "effort", "2023-01-01", "2023-06-30") - mean(without, "effort", "2023-01-01", "2023-06-30"))
        < 0.03
    )


def test_effort_decays_towards_its_floor_without_pressure():
    p = bargain.parameters()
    state = bargain.steady_state(p, 4 * REFERENCE)
    assert state[bargain.STATE_INDEX["effort"]] > p["effort_floor"] + 0.9
    quiet = np.zeros(len(bargain.STATE))
    efforts = []
    for _ in range(156):
        state = bargain.step(state, p, 0.0, 0.0, 0.0, quiet)
        efforts.append(state[bargain.STATE_INDEX["effort"]])
    assert np.all(np.diff(efforts) < 0)
    assert efforts[12] > p["effort_floor"] + 0.4  # slow: three months on, most of the effort remains
    assert p["effort_floor"] <= efforts[-1] < p["effort_floor"] + 0.05


def test_malformed_record_row_is_located(tmp_path):
    lines = RECORD_FILE.read_text().splitlines()
    assert ",us_coercion,1.0," in lines[1]
    lines[1] = lines[1].replace(",us_coercion,1.0,", ",us_coercion,big,")
    path = tmp_path / "bilateral_record.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as error:
        read_record(path)
    message = str(error.value)
    assert "bilateral_record.csv: row 2: field 'size'" in message and "'big'" in message


def test_unknown_channel_and_disordered_dates_are_located(tmp_path):
    lines = RECORD_FILE.read_text().splitlines()
    path = tmp_path / "bilateral_record.csv"
    path.write_text("\n".join([lines[0], lines[1].replace(",us_coercion,", ",tariffs,")]) + "\n")
    with pytest.raises(ScenarioError, match=r"row 2: field 'channel'.*'tariffs'"):
        read_record(path)
    path.write_text("\n".join([lines[0], lines[5], lines[1]]) + "\n")
    with pytest.raises(ScenarioError, match=r"row 3: field 'date'.*2019-05-30"):
        read_record(path)
