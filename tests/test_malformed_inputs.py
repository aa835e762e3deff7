"""Regression tests for the malformed inputs a fuzz of the readers once turned into tracebacks,
hangs or silent nonsense (issue 12): each now ends in one located message (exit 2 on the
command line), or, where Flee 3.1 runs on, in a located warning."""

from __future__ import annotations

import shutil
import time
import warnings

import pytest
from conftest import US_MEXICO, shortened_copy
from test_fuzz_readers import MALI, prepare_corridor, prepare_flee, prepare_imported_flee
from typer.testing import CliRunner

from corridor.cli import app
from corridor.models.flee.importer import import_flee
from corridor.models.flee.reader import read_flee_folder
from corridor.scenario.errors import ScenarioError, ScenarioWarning
from corridor.settings import parse_sets

SCALE_EVENT = "action: scale\n  value: 2.0"  # the first 'scale' event of the built-in policies.yaml


def edited(folder, file: str, old: str, new: str):
    path = folder / file
    text = path.read_text()
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1))
    return folder


def located(read, folder, *fragments):
    with pytest.raises(ScenarioError) as info:
        read(folder)
    message = info.value.message()
    assert "\n" not in message and len(message) < 400, message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    "file, old, new, fragments",
    [
        ("policies.yaml", SCALE_EVENT, "action: scale\n  value: -1", ["policies.yaml", "finite factor"]),
        ("policies.yaml", SCALE_EVENT, "action: scale\n  value: .nan", ["policies.yaml"]),
        ("policies.yaml", SCALE_EVENT, "action: scale\n  value: 1e308", ["policies.yaml", "beyond its bounds"]),
        (
            "policies.yaml",
            "date: '2023-05-11'",
            "date: '2023-02-30'",
            ["policies.yaml", "row", "outside expected range"],
        ),
        ("scenario.yaml", "seed: 1", "seed: " + "9" * 5000, ["scenario.yaml", "cannot read the value", "..."]),
        ("scenario.yaml", "seed: 1", "seed: 9223372036854775808", ["scenario.yaml", "seed"]),
        ("origins.csv", ",900,", ",1e300,", ["origins.csv", "daily_departures"]),
        ("drivers.csv", "\n", "\n2019-01-01,all,drought,inf,x\n", ["drivers.csv", "row 2", "intensity"]),
        ("drivers.csv", "\n", "\n2019-01-01,all,drought,1.5,x\n", ["drivers.csv", "row 2", "intensity"]),
        ("drivers.csv", "\n", "\n2019-01-01,all,Drought!,1,x\n", ["drivers.csv", "row 2", "condition"]),
        (
            "drivers.csv",
            "\n",
            "\n2019-01-01,all,drought,0,x\n2019-01-01,all,drought,1,x\n",
            ["drivers.csv", "row 3", "two knots", "first at row 2"],
        ),
        ("routes.csv", ",6,", ",4e7,", ["routes.csv", "checkpoints"]),
        ("routes.csv", "\n", "\nTapachula,Tapachula,bus,10,north,,0,,\n", ["routes.csv", "row 2", "another place"]),
        ("routes.csv", "\n", "\nTapachula,Mexico City,bus,1e-300,north,,0,,\n", ["routes.csv", "row 2", "distance_km"]),
        ("routes.csv", "\n", "\nTapachula,Mexico City,bus,nan,north,,0,,\n", ["routes.csv", "row 2", "distance_km"]),
    ],
)
def test_a_malformed_corridor_scenario_is_located(tmp_path, file, old, new, fragments):
    folder = tmp_path / "s"
    shutil.copytree(US_MEXICO, folder)
    located(prepare_corridor, edited(folder, file, old, new), *fragments)


def test_origin_shares_above_one_and_an_origin_without_routes(tmp_path):
    folder = tmp_path / "s"
    shutil.copytree(US_MEXICO, folder)
    lines = (folder / "origins.csv").read_text().splitlines(keepends=True)
    (folder / "origins.csv").write_text("".join(lines + lines[1:2]))
    located(prepare_corridor, folder, "origins.csv", "add up to more than 1")
    (folder / "origins.csv").write_text("".join(lines))
    origin = lines[1].split(",")[1]
    kept = [
        line
        for line in (folder / "routes.csv").read_text().splitlines(keepends=True)
        if not line.startswith(origin + ",")
    ]
    (folder / "routes.csv").write_text("".join(kept))
    located(prepare_corridor, folder, "origins.csv", "no route leaves this origin", origin)


@pytest.mark.parametrize(
    "change, fragments",
    [
        (lambda path: path.write_bytes(path.read_text().encode("utf-16")), None),
        (lambda path: path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes()), None),
        (lambda path: path.write_bytes(path.read_text().encode("latin-1") + b"\xe9\xff"), ["not UTF-8 text"]),
        (lambda path: (path.unlink(), path.mkdir()), ["a folder where a file should be"]),
        (
            lambda path: path.write_text(path.read_text() + "x," + "a" * 200_000 + "\n"),
            ["field larger than field limit"],
        ),
    ],
)
def test_unreadable_files_are_located(tmp_path, change, fragments):
    folder = tmp_path / "s"
    shutil.copytree(US_MEXICO, folder)
    change(folder / "routes.csv")
    if fragments is None:  # UTF-16 with its mark, or UTF-8 with a mark: read as the same text
        prepare_corridor(folder)
    else:
        located(prepare_corridor, folder, "routes.csv", *fragments)


@pytest.mark.parametrize(
    "file, old, new, fragments",
    [
        (
            "input_csv/locations.csv",
            "Bamako,Koulikoro,Mali",
            "Bamakoo,Koulikoro,Mali",
            ["routes.csv", "unknown location"],
        ),
        ("input_csv/routes.csv", ",376,", ",nan,", ["routes.csv", "distance"]),
        ("input_csv/routes.csv", ",376,", ",0,", ["routes.csv", "distance"]),
        ("simsetting.yml", "max_move_speed: 200.0", "max_move_speed: 0", ["simsetting.yml", "max_move_speed"]),
        ("simsetting.yml", "camp_movechance: 0.001", "camp_movechance: 2.0", ["simsetting.yml", "camp_movechance"]),
        ("simsetting.yml", "move_rules:", "move_rules: [", ["simsetting.yml", "not valid YAML"]),
    ],
)
def test_a_malformed_flee_folder_is_located(tmp_path, file, old, new, fragments):
    folder = tmp_path / "mali2012"
    shutil.copytree(MALI, folder)
    located(prepare_flee, edited(folder, file, old, new), *fragments)


def test_flee_camp_capacity_population_and_conflicts_header(tmp_path):
    folder = tmp_path / "mali2012"
    shutil.copytree(MALI, folder)
    locations = folder / "input_csv" / "locations.csv"
    original = locations.read_text()
    camp = next(line for line in original.splitlines() if ",camp," in line)
    for capacity, fragment in (("0", "capacity"), ("-1", "population")):
        locations.write_text(original.replace(camp, ",".join([*camp.split(",")[:7], capacity])))
        located(prepare_flee, folder, "locations.csv", fragment)
    locations.write_text(original)
    conflicts = folder / "input_csv" / "conflicts.csv"
    conflicts.write_text(conflicts.read_text().splitlines(keepends=True)[0])
    located(prepare_flee, folder, "conflicts.csv", "no days")


def test_an_imported_flee_scenario_gets_located_one_line_errors(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioWarning)
        import_flee(MALI, tmp_path / "mali")
    folder = tmp_path / "mali"
    places = (folder / "places.csv").read_text()
    (folder / "places.csv").write_text(
        "".join(line for line in places.splitlines(keepends=True) if not line.startswith("Bamako,"))
    )
    located(prepare_imported_flee, folder, "routes.csv", "unknown location", "Bamako")
    (folder / "places.csv").write_text(places)
    located(
        prepare_imported_flee,
        edited(folder, "scenario.yaml", "days: 300", "days: [1"),
        "scenario.yaml",
        "not valid YAML",
    )
    edited(folder, "scenario.yaml", "days: [1", "days: -3")
    located(prepare_imported_flee, folder, "scenario.yaml", "key 'days'")


def test_a_validation_series_naming_no_location_warns_and_is_skipped(tmp_path):
    """As Flee 3.1, which runs such a folder without that series (and its registration corrections)."""
    folder = edited(shutil.copytree(MALI, tmp_path / "mali2012"), "source_data/data_layout.csv", "Mentao,", "Mentaoo,")
    edited(folder, "input_csv/registration_corrections.csv", "Mentao,", "Mentaoo,")  # goes with its series
    with pytest.warns(ScenarioWarning, match="data_layout.csv: row 3: field 'name': unknown location"):
        flee = read_flee_folder(folder)
    assert "Mentaoo" not in {series.name for series in flee.series} and len(flee.series) > 1


def test_import_flee_never_overwrites_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["import-flee", str(MALI)])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "mali2012_scenario" / "scenario.yaml").is_file()
    again = runner.invoke(app, ["import-flee", str(MALI)])
    assert again.exit_code == 2 and "not empty" in again.output and "--force" in again.output, again.output
    forced = runner.invoke(app, ["import-flee", str(MALI), "--force"])
    assert forced.exit_code == 0, forced.output


def test_a_lever_set_whole_and_per_entry_is_located():
    with pytest.raises(ScenarioError, match="either as a whole or per entry"):
        parse_sets(["mpp.active=0", "mpp.active[x]=0.5"])


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    return shortened_copy(
        tmp_path_factory.mktemp("short") / "s",
        start="2022-01-01",
        end="2022-01-05",
        report_start="2022-01-01",
        scale=0.001,
    )


@pytest.mark.parametrize(
    "args, fragments",
    [
        (
            ["--set", "titel42.active=0"],
            ["--set: key 'titel42.active': unknown lever", "did you mean 'title42.active'"],
        ),
        (["--set", "border.city_enforcement[Tijuanna]=2"], ["did you mean 'Tijuana'"]),
        (["--set", "mpp.active=0", "--set", "mpp.active[x]=0.5"], ["--set", "whole or per entry"]),
        (["--set", "title42.active=inf"], ["--set", "out of range"]),
        (["--scale", "0"], ["--scale", "more than 0"]),
        (["--scale", "-1"], ["--scale", "more than 0"]),
        (["--seed", str(2**63)], ["--seed"]),
    ],
)
def test_command_line_mistakes_exit_2_without_a_progress_bar(short, tmp_path, args, fragments):
    result = CliRunner().invoke(app, ["run", str(short), "--out", str(tmp_path), "--no-report", *args])
    assert result.exit_code == 2, result.output
    assert "simulating" not in result.output and "Traceback" not in result.output
    assert "parameters." not in result.output
    text = " ".join(result.output.split())
    for fragment in fragments:
        assert fragment in text, text


def test_a_64_bit_seed_runs_and_saves(short, tmp_path):
    result = CliRunner().invoke(
        app, ["run", str(short), "--out", str(tmp_path), "--no-report", "--seed", str(2**63 - 1)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "results.nc").stat().st_size > 0


def test_a_message_about_an_enormous_value_is_short_and_quick():
    start = time.perf_counter()
    message = (
        ScenarioError("f.csv", "bad", found=10**100_000).message()
        + ScenarioError("f.csv", "bad", found="x" * 10**7).message()
    )
    assert time.perf_counter() - start < 1 and len(message) < 300
