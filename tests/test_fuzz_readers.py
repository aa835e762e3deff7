"""Every reader of user input, fed thousands of mutated copies of real inputs (the built-in
scenario, the mali2012 Flee folder, an imported Flee scenario, --set strings, priors files),
either succeeds or raises one ScenarioError: a single short line that starts with the file (or
option) it is about. A traceback of another kind, or a hang, fails the test; the command line
then prints that message and exits 2 (checked on a sample, and in test_scenario_errors.py)."""

from __future__ import annotations

import os
import shutil
import signal
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import US_MEXICO, shortened_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from corridor.cli import app
from corridor.fit.priors import load_priors
from corridor.models.flee.importer import import_flee, load_flee_scenario
from corridor.models.flee.reader import read_flee_folder
from corridor.models.flee.world import build_world as build_flee_world
from corridor.models.us_mexico.model import default_parameters, us_mexico_phases
from corridor.models.us_mexico.world import build_world
from corridor.policy import Timeline
from corridor.scenario.errors import ScenarioError, ScenarioWarning
from corridor.scenario.load import load_scenario
from corridor.settings import parse_sets

MALI = Path(__file__).parent / "data" / "flee" / "mali2012"
SECONDS_PER_INPUT = 10  # a reader that takes longer on one file hangs
# inputs per reader, sized for the suite's time budget (the corridor scenario takes ~0.2 s an input,
# the Flee readers ~0.05 s, --set strings ~1 ms); FUZZ_SCALE=10 for a longer local fuzz
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
EXAMPLES = {
    "corridor": int(120 * SCALE),
    "flee": int(400 * SCALE),
    "imported": int(400 * SCALE),
    "priors": int(80 * SCALE),
    "set": int(1000 * SCALE),
}
NASTY = [
    "",
    " ",
    "-1",
    "0",
    "-0",
    "1e-300",
    "1e308",
    "-1e308",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "2",
    "1.4",
    "9" * 5000,
    "2023-02-30",
    "0000-00-00",
    "9999-99-99",
    "x",
    "None",
    "null",
    "[]",
    "{}",
    "[[[",
    "'",
    '"',
    ",",
    "\x00",
    "Tijuana",
    "mexico",
    "Mali",
    "camp",
    "conflict",
    "True",
    "-",
    "1,2",
    "\ufeff",
    "é",
    "a" * 140_000,
]
ENCODINGS = ["utf-16", "utf-8-sig", "latin-1"]


@contextmanager
def time_limit(seconds: int):
    """Fail an input that keeps a reader busy for ``seconds`` (a hang) instead of waiting on it."""

    def stop(signum, frame):
        raise TimeoutError(f"reader still busy after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_reads_or_locates(read, *args) -> None:
    """``read(*args)`` succeeds, or raises a ScenarioError whose message is one short line
    starting with the file or option it names."""
    with warnings.catch_warnings(), time_limit(SECONDS_PER_INPUT):
        warnings.simplefilter("ignore", ScenarioWarning)
        try:
            read(*args)
        except ScenarioError as error:
            message = error.message()
            assert "\n" not in message and len(message) < 3000, message
            assert error.file and message.startswith(error.file), message


# -- mutations of one text file ----------------------------------------------------------------------------------


@st.composite
def mutations(draw, text: str):
    """(new content as bytes, or None to put a folder in place of the file)."""
    lines = text.splitlines(keepends=True) or [""]
    kind = draw(
        st.sampled_from(
            [
                "field",
                "field",
                "field",
                "yaml_value",
                "drop_line",
                "copy_line",
                "truncate",
                "bytes",
                "encoding",
                "folder",
                "empty",
            ]
        )
    )
    if kind == "folder":
        return None
    if kind == "empty":
        return b""
    if kind == "encoding":
        return text.encode(draw(st.sampled_from(ENCODINGS)))
    if kind == "truncate":
        return text.encode()[: draw(st.integers(0, len(text)))]
    if kind == "bytes":
        at = draw(st.integers(0, len(text)))
        return text.encode()[:at] + draw(st.binary(min_size=1, max_size=8)) + text.encode()[at:]
    row = draw(st.integers(0, len(lines) - 1))
    if kind == "drop_line":
        return "".join(lines[:row] + lines[row + 1 :]).encode()
    if kind == "copy_line":
        return "".join(lines[: row + 1] + lines[row:]).encode()
    value = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)))
    line = lines[row]
    if kind == "yaml_value" and ":" in line:
        head = line.split(":", 1)[0]
        return "".join([*lines[:row], f"{head}: {value}\n", *lines[row + 1 :]]).encode(errors="surrogatepass")
    fields = line.rstrip("\r\n").split(",")
    fields[draw(st.integers(0, len(fields) - 1))] = value
    return "".join([*lines[:row], ",".join(fields) + "\n", *lines[row + 1 :]]).encode(errors="surrogatepass")


@contextmanager
def mutated(path: Path, content: bytes | None):
    """``path`` replaced by ``content`` (or by a folder) for the duration of the block."""
    original = path.read_bytes()
    path.unlink()
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    try:
        yield
    finally:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        path.write_bytes(original)


def files_of(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix in (".csv", ".yaml", ".yml"))


def fuzz_folder(folder: Path, read, max_examples: int):
    """A hypothesis test mutating one file of ``folder`` per input, then calling ``read(folder)``."""
    files = files_of(folder)
    texts = {path: path.read_text(encoding="utf-8-sig") for path in files}

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data):
        path = data.draw(st.sampled_from(files))
        content = data.draw(mutations(texts[path]))
        with mutated(path, content):
            assert_reads_or_locates(read, folder)

    return check


# -- readers ------------------------------------------------------------------------------------------------------


def prepare_corridor(folder: Path) -> None:
    """What a corridor run reads and checks before its first day: files, world, levers, timeline."""
    scenario = load_scenario(folder)
    world = build_world(scenario)
    params = default_parameters(
        world, us_mexico_phases(world), scenario.config.parameters, scenario.folder / "scenario.yaml"
    )
    Timeline(scenario.timeline_events(), scenario.config.start, params)


def prepare_flee(folder: Path) -> None:
    build_flee_world(read_flee_folder(folder))


def prepare_imported_flee(folder: Path) -> None:
    build_flee_world(load_flee_scenario(folder))


@pytest.fixture(scope="module")
def corridor_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "us_mexico"
    shutil.copytree(US_MEXICO, target)
    return target


def test_fuzz_corridor_scenario(corridor_copy):
    fuzz_folder(corridor_copy, prepare_corridor, max_examples=EXAMPLES["corridor"])()


def test_fuzz_flee_folder(tmp_path):
    shutil.copytree(MALI, tmp_path / "mali2012")
    fuzz_folder(tmp_path / "mali2012", prepare_flee, max_examples=EXAMPLES["flee"])()


def test_fuzz_imported_flee_scenario(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioWarning)
        import_flee(MALI, tmp_path / "mali")
    fuzz_folder(tmp_path / "mali", prepare_imported_flee, max_examples=EXAMPLES["imported"])()


def test_fuzz_priors_file(corridor_copy):
    scenario = load_scenario(corridor_copy)
    priors = corridor_copy / "priors.yaml"
    text = priors.read_text()

    @settings(
        max_examples=EXAMPLES["priors"], deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(content=mutations(text))
    def check(content):
        with mutated(priors, content):
            assert_reads_or_locates(load_priors, scenario, priors)

    check()


LEVER_TEXT = st.one_of(
    st.sampled_from(
        [
            "title42.active",
            "titel42.active",
            "mpp.active",
            "border.city_enforcement",
            "checkpoints.count",
            "parameters.mpp.active",
            "title8.removal_share",
        ]
    ),
    st.text(max_size=20),
)
WHERE_TEXT = st.one_of(
    st.just(""),
    st.sampled_from(["[Tijuana]", "[Tijuanna]", "[mexico]", "[x]", "[]", "["]),
    st.text(max_size=10).map(lambda text: f"[{text}]"),
)


@pytest.fixture(scope="module")
def built_in_parameters(corridor_copy):
    scenario = load_scenario(corridor_copy)
    world = build_world(scenario)
    return default_parameters(
        world, us_mexico_phases(world), scenario.config.parameters, scenario.folder / "scenario.yaml"
    )


def test_fuzz_set_options(built_in_parameters):
    @settings(max_examples=EXAMPLES["set"], deadline=None, database=None)
    @given(
        st.lists(
            st.tuples(LEVER_TEXT, WHERE_TEXT, st.one_of(st.sampled_from(NASTY[:20]), st.text(max_size=8))),
            min_size=1,
            max_size=3,
        )
    )
    def check(items):
        sets = [f"{lever}{where}={value}" for lever, where, value in items]
        assert_reads_or_locates(lambda: built_in_parameters.copy().apply_overrides(parse_sets(sets), Path("--set")))

    check()


@pytest.mark.parametrize(
    "file, old, new",
    [
        ("routes.csv", "\n", "\n,,bus,1,north\n"),
        ("origins.csv", ",", ",\x00"),
        ("scenario.yaml", "seed: 1", "seed: 99999999999999999999999"),
        ("policies.yaml", "value: 2.0", "value: -1"),
    ],
)
def test_a_mutated_scenario_exits_2_with_one_line(tmp_path, file, old, new):
    folder = shortened_copy(
        tmp_path / "s", start="2022-01-01", end="2022-01-05", report_start="2022-01-01", scale=0.001
    )
    text = (folder / file).read_text()
    (folder / file).write_text(text.replace(old, new, 1))
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(tmp_path / "out"), "--no-report"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert file in result.output
