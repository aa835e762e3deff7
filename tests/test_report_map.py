"""The reports' maps and the policy events on their time axes: `corridor run` on the tiny world, then
the page's SVG parsed (a marker per place, route widths ordered by the run's traffic, event marks
inside their axes with a tooltip and a numbered list entry, and the page laid out by chromium); the
bilateral record's events join only when the bargain runs; the Flee validation report's map."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xarray as xr
from conftest import SVG, report_map, report_svgs
from tiny_world import PLACES, every_mechanism_world, routes, tiny_world
from typer.testing import CliRunner

from corridor import simulate
from corridor.cli import app
from corridor.models.flee.reader import read_flee_folder
from corridor.models.flee.simulate import simulate_flee
from corridor.report.events import bargain_ran, event_marks
from corridor.report.figures import FIGURES
from corridor.scenario.load import load_scenario

MALI = Path(__file__).resolve().parent / "data" / "flee" / "mali2012"  # Flee's scenario (tests/test_flee.py)


def _event(date: str, lever: str, action: str, value: float, name: str) -> dict:
    return {"date": date, "lever": lever, "action": action, "value": value, "name": name, "source": "test"}


EVENTS = [  # two in February share a mark, one in March, one after the run (not drawn, not listed)
    _event("2022-02-10", "checkpoints.count", "scale", 2.0, "test more checkpoints"),
    _event("2022-02-20", "border.retry_share", "set", 0.5, "test retries"),
    _event("2022-03-15", "checkpoints.count", "scale", 0.5, "test fewer checkpoints"),
    _event("2023-06-01", "checkpoints.count", "scale", 1.0, "test after the run"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[str, xr.Dataset]:
    folder = tiny_world(tmp_path_factory.mktemp("map") / "tiny", days=120, events=EVENTS)
    out = folder.parent / "out"
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return (out / "report.html").read_text(encoding="utf-8"), xr.load_dataset(out / "results.nc")


def test_the_map_has_a_marker_per_place_and_routes_as_wide_as_their_traffic(report):
    page, ds = report
    corridor_map = report_map(page)
    markers = corridor_map.findall(f".//{SVG}circle[@class='place']")
    assert sorted(marker.get("data-place") for marker in markers) == sorted(place[0] for place in PLACES)
    lines = {line.get("data-route"): line for line in corridor_map.iter(f"{SVG}line")}
    assert len(lines) == len(routes(5.0))
    width = {name: float(line.get("stroke-width")) for name, line in lines.items()}
    people = ds["route_entries"].sel(time=slice(ds.attrs["report_start"], None)).sum("time").to_series()
    busiest, quietest = people.idxmax(), people.idxmin()
    assert people[busiest] > 2 * people[quietest]
    assert width[busiest] > 2 * width[quietest]
    assert f"{people[busiest]:,.0f} people set out" in lines[busiest].findtext(f"{SVG}title")
    bubbles = {circle.get("data-place"): float(circle.get("r")) for circle in corridor_map.iter(f"{SVG}circle")}
    assert bubbles["Origin City"] > 0  # people leave the origin
    assert "Route colour" in page and "Natural Earth" in page


def _x_range(path: ET.Element) -> tuple[float, float]:
    numbers = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
    xs = numbers[0::2]
    return min(xs), max(xs)


def test_policy_events_are_marked_within_each_time_axis_and_listed(report):
    page, _ = report
    listed = re.search(r'<ol class="events"[^>]*>(.*?)</ol>', page, flags=re.S)
    assert listed is not None
    items = re.findall(r"<li>(.*?)</li>", listed.group(1))
    assert items == [
        "10 Feb 2022: test more checkpoints. 20 Feb 2022: test retries",
        "15 Mar 2022: test fewer checkpoints",
    ]
    figures = [svg for svg in report_svgs(page) if svg.get("id") != "corridor-map"]
    assert len(figures) == len(FIGURES)
    for figure in figures:
        groups = {group.get("id"): group for group in figure.iter(f"{SVG}g") if group.get("id")}
        marks = {name: group for name, group in groups.items() if re.fullmatch(r"event-\d+-\d+", name)}
        numbers = {int(name.split("-")[1]) for name in marks}
        assert numbers == {1, 2}, figure.get("aria-label")
        for name, group in marks.items():
            number, axis = name.split("-")[1:]
            left, right = _x_range(groups[f"plot-area-{axis}"].find(f"{SVG}path"))
            x, x_end = _x_range(group.find(f"{SVG}path"))
            assert left < x == x_end < right  # a vertical line inside its axes
            assert group.findtext(f"{SVG}title").startswith(f"{number}. {items[int(number) - 1][:6]}")
    # February's mark lies left of March's on the same axis
    first = report_svgs(page)[1]
    february, march = (first.find(f".//{SVG}g[@id='{name}']/{SVG}path") for name in ("event-1-0", "event-2-0"))
    assert _x_range(february)[0] < _x_range(march)[0]


def test_the_bilateral_record_joins_the_marks_only_when_the_bargain_runs(tmp_path):
    folder = every_mechanism_world(tmp_path / "every", days=40, daily_departures=5.0)
    scenario = load_scenario(folder)
    with_record = [mark.label for mark in event_marks(scenario, with_record=True)]
    assert any("test tariff threat" in label for label in with_record)
    assert not any("test tariff threat" in mark.label for mark in event_marks(scenario, with_record=False))
    assert not bargain_ran(simulate(folder))
    assert bargain_ran(simulate(folder, overrides={"mexico.bargain": 1.0}))


def test_the_compare_report_marks_the_events_and_maps_b_with_a_in_the_tooltips(tmp_path):
    folder = tiny_world(tmp_path / "tiny", days=90, events=EVENTS)
    out = tmp_path / "compare.html"
    result = CliRunner().invoke(
        app, ["compare", str(folder), "-n", "1", "--workers", "1", "--set", "departure.scale=0.5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    (figure,) = [svg for svg in report_svgs(page) if svg.get("id") != "corridor-map"]
    assert {group.get("id") for group in figure.iter(f"{SVG}g")} >= {"event-1-0", "event-2-0"}
    assert "test fewer checkpoints" in page and "test after the run" not in page
    # half the departures in B: the busiest route's tooltip gives B's people, A's and a negative difference
    widest = max(report_map(page).iter(f"{SVG}line"), key=lambda line: float(line.get("stroke-width")))
    tooltip = widest.findtext(f"{SVG}title")
    found = re.search(r": ([\d,]+) people set out.* in B; A ([\d,]+), B − A ([+-][\d,]+)", tooltip)
    assert found is not None, tooltip
    b, a, difference = (float(number.replace(",", "")) for number in found.groups())
    assert 0 < b < a and difference == b - a


def test_the_report_page_draws_the_map_and_the_marks_in_a_browser(report, tmp_path):
    """Debian's chromium (skipped where there is none) lays the page out: each place's marker and each
    event mark has a size on screen, and the marks lie inside their plot areas."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium (apt-get install -y chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install corridor[test] installs playwright")
    page_file = tmp_path / "report.html"
    page_file.write_text(report[0], encoding="utf-8")
    artefacts = Path(os.environ.get("CORRIDOR_TEST_ARTIFACTS", tmp_path)) / "report"
    artefacts.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_file.as_uri())
        markers = page.locator("#corridor-map circle.place")
        assert markers.count() == len(PLACES)
        assert all((box := markers.nth(i).bounding_box()) and box["width"] > 0 for i in range(len(PLACES)))
        plot = page.locator("figure svg g#plot-area-0").nth(0).bounding_box()
        mark = page.locator("figure svg g#event-1-0").nth(0).bounding_box()
        assert plot and mark and plot["x"] < mark["x"] < plot["x"] + plot["width"] and mark["height"] > 0
        page.screenshot(path=artefacts / "run-report.png", full_page=True)
        browser.close()


def test_the_flee_report_maps_the_conflict_with_camps_as_large_as_their_refugees(tmp_path):
    """`validate-flee --report` on Flee's mali2012: a marker per location on the world's outlines (the
    conflict lies outside the Americas' detailed basemap) and camp circles ordered by the refugees the
    reported run holds on its last day."""
    out = tmp_path / "flee.html"
    result = CliRunner().invoke(app, ["validate-flee", str(MALI), "--seeds", "1", "--report", str(out)])
    assert result.exit_code == 0, result.output
    corridor_map = report_map(out.read_text(encoding="utf-8"))
    flee = read_flee_folder(MALI)
    markers = corridor_map.findall(f".//{SVG}circle[@class='place']")
    assert sorted(marker.get("data-place") for marker in markers) == sorted(p.name for p in flee.locations)
    countries = {path.findtext(f"{SVG}title") for path in corridor_map.iter(f"{SVG}path")}
    assert {"Mali", "Burkina Faso", "Niger", "Mauritania"} <= countries
    last = simulate_flee(flee, seed=0)["sim"].isel(time=-1).to_series()
    radius = {c.get("data-place"): float(c.get("r")) for c in corridor_map.findall(f".//{SVG}circle[@class='bubble']")}
    fullest, emptiest = last.idxmax(), last.idxmin()
    assert last[fullest] > 2 * last[emptiest]
    assert radius[fullest] > radius[emptiest]
    assert (
        f"{last[fullest]:,.0f} refugees simulated"
        in corridor_map.find(f".//{SVG}circle[@data-place='{fullest}'][@class='bubble']/{SVG}title").text
    )
