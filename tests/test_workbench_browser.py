"""The workbench as a user meets it: `corridor serve` started as a user would start it, on the small
example corridor; its API over HTTP, the what-if's first result before all its seeds have run, and the
page in a real browser (Playwright drives Debian's
chromium; skipped where there is none). Every browser request not to the local server is blocked,
so the page must work offline. Screenshots of each step go to $CORRIDOR_TEST_ARTIFACTS (default:
the test's temporary folder)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SMALL = Path(__file__).parent.parent / "docs" / "examples" / "small_corridor"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    command = [sys.executable, "-m", "corridor.cli", "serve", str(SMALL), "--no-open", "--port", str(port)]
    command += ["-n", "2", "--workers", "1", "--scale", "0.05"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 240  # generous: a loaded CI machine
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"corridor serve did not start: {process.stdout.read() if process.stdout else ''}")
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium (apt-get install -y chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install corridor[test] installs playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def artefacts(tmp_path) -> Path:
    folder = Path(os.environ.get("CORRIDOR_TEST_ARTIFACTS", tmp_path)) / "workbench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _post(url: str, body: object) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def test_api_refuses_bad_settings_with_the_lever_named_and_reproduces_a_what_if(server):
    code, body = _post(server + "api/whatif", {"sets": ["departure.scale=-1"]})
    assert code == 400 and body["lever"] == "departure.scale" and "out of range" in body["error"]
    code, body = _post(server + "api/whatif", {"sets": "departure.scale=2"})
    assert code == 400 and "lever=value" in body["error"]
    code, body = _post(server + "api/whatif", {"sets": ["departure.scale=0.5"]})
    assert code == 200
    status = f"{server}api/whatif/{body['job']}"
    deadline = time.monotonic() + 240  # generous: a loaded CI machine
    while (progress := json.loads(_get(status)))["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 4  # 2 baseline + 2 what-if
    assert yaml.safe_load(_get(status + "/overrides.yaml")) == {"parameters": {"departure.scale": 0.5}}
    assert _get(status + "/comparison.nc")[:4] == b"\x89HDF"  # NetCDF4
    assert b"b_minus_a" in _get(status + "/comparison.csv")


def _offline_page(browser, server: str, blocked: list[str]):
    """A page in its own context that aborts every request not to the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local = urlparse(server).netloc

    def route(request_route):
        if urlparse(request_route.request.url).netloc == local:
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    return context.new_page()


def _set_lever(page, lever: str, value: str) -> None:
    box = page.locator(f'.lever[data-lever="{lever}"]')
    box.locator("xpath=ancestor::details[contains(@class,'mechanism')]").evaluate("d => d.open = true")
    box.locator("input").first.fill(value)


def test_map_levers_and_paired_what_ifs_in_two_sessions(server, browser, artefacts):
    blocked: list[str] = []
    first, second = _offline_page(browser, server, blocked), _offline_page(browser, server, blocked)
    started = time.monotonic()
    first.goto(server)
    first.wait_for_selector("#basemap path.country")
    load_seconds = time.monotonic() - started
    with (SMALL / "places.csv").open() as places:
        assert first.locator("#places circle.place").count() == sum(1 for _ in csv.DictReader(places))
    first.wait_for_function("document.querySelectorAll('#route-layer option').length > 0", timeout=240_000)
    first.screenshot(path=artefacts / "1-map.png")

    first.fill("#lever-search", "departure.scale")
    assert first.locator(".lever:not(.hidden)").count() == 1
    first.fill("#lever-search", "")

    # a value of the wrong type gets a located message next to its lever, and the server goes on
    _set_lever(first, "departure.scale", "lots")
    first.click("#run")
    message = first.locator('.lever[data-lever="departure.scale"] .lever-error')
    message.wait_for()
    assert "not a number" in message.inner_text()
    first.screenshot(path=artefacts / "2-bad-value.png")

    start = float(first.locator('.lever[data-lever="departure.scale"] input').get_attribute("data-start"))
    second.goto(server)
    _set_lever(first, "departure.scale", f"{start * 0.5:g}")
    _set_lever(second, "departure.scale", f"{start * 1.5:g}")
    first.click("#run")
    second.click("#run")
    sentences = {}
    for name, page in (("fewer", first), ("more", second)):
        sentence = page.locator('#summary li[data-output="swb_encounters"]')
        sentence.wait_for(timeout=240_000)
        sentences[name] = sentence.inner_text()
        assert page.locator('#charts .chart[data-output="swb_encounters"] svg polyline').count() >= 2
        page.screenshot(path=artefacts / f"3-what-if-{name}.png", full_page=True)
    # half the departures: fewer encounters; half again as many: more (each session its own result)
    assert "encounters −" in sentences["fewer"], sentences
    assert "encounters +" in sentences["more"], sentences
    assert "departure.scale" in first.inner_text("#progress-label")
    assert blocked == []
    print(f"page load {load_seconds:.2f} s")


def test_a_what_if_shows_its_first_paired_seeds_before_the_others_finish():
    """With one worker the runs finish one after another: the job carries a result of two paired seeds while
    the other seeds still run, then the result of all four, the same as the comparison of all four at once."""
    from corridor.fit.backend import dask_client
    from corridor.web.whatif import FIRST_RESULT_SEEDS, Workbench

    with dask_client(None, 1) as client:
        workbench = Workbench(SMALL, client, 0.05, 4)
        job = workbench.jobs[workbench.start(["departure.scale=0.5"])]
        shown: dict[int, str] = {}  # paired seeds -> the encounters sentence shown with them
        deadline = time.monotonic() + 240
        while job.status == "running" and time.monotonic() < deadline:
            result = job.result
            if result is not None and not result["final"]:
                shown.setdefault(result["members"], result["outputs"][0]["sentence"])
            time.sleep(0.005)
    assert job.status == "done", job.error
    assert min(shown) == FIRST_RESULT_SEEDS and job.result["members"] == 4 and job.result["final"]
    # half the departures: fewer encounters already in the first result, and in the final one
    assert "encounters −" in shown[FIRST_RESULT_SEEDS] and "encounters −" in job.result["outputs"][0]["sentence"]
