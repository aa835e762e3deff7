"""The workbench's speed as a user meets it: `corridor serve` on the built-in scenario, then the
time until the server answers, until the baseline's map layers are ready, the page load in
chromium (Playwright; the HTML and its assets over HTTP where no chromium is found), and a what-if
from the button's request to its first result (the first seeds paired) and to the result of every
seed: one asked at once after the page load (it waits for the baseline members still running) and
the next (the baseline done).

    python benchmarks/workbench.py                      # scale 0.02, 4 paired seeds, 2 workers
    python benchmarks/workbench.py --scale 0.01 -n 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url) as response:
        return response.status, response.read()


def _wait(condition, timeout: float = 600) -> float:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(0.2)
    return time.perf_counter() - start


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


def _page_load(url: str) -> tuple[str, float]:
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        start = time.perf_counter()
        for path in ("", "static/workbench.js", "static/workbench.css"):
            _get(url + path)
        return "HTTP GET of the page and its assets", time.perf_counter() - start
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("#basemap path.country")
        seconds = time.perf_counter() - start
        browser.close()
    return "chromium, until the map's outlines are drawn", seconds


def _what_if(url: str, sets: list[str]) -> tuple[float, int, float]:
    """Seconds from the request to the first result the page can show, its paired seeds, and seconds to
    the result of every seed."""
    request = urllib.request.Request(
        url + "api/whatif", data=json.dumps({"sets": sets}).encode(), headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        job = json.load(response)["job"]
    first: list = []

    def finished() -> bool:
        status = json.loads(_get(f"{url}api/whatif/{job}")[1])
        if status["result"] is not None and not first:
            first.append((time.perf_counter() - start, status["result"]["members"]))
        return status["status"] != "running"

    _wait(finished)
    return first[0][0], first[0][1], time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("-n", type=int, default=4, help="paired seeds per what-if")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "corridor.cli", "serve", "--no-open", "--port", str(port)]
    command += ["--scale", str(args.scale), "-n", str(args.n), "--workers", str(args.workers)]
    server = subprocess.Popen(command, cwd=REPO)
    try:
        figures = {"server answers (s)": _wait(lambda: _answers(url))}
        figures["baseline map layers ready (s)"] = _wait(lambda: _get(url + "api/layers")[0] == 200)
        how, seconds = _page_load(url)
        figures[f"page load, {how} (s)"] = seconds
        first, members, every = _what_if(url, ["title8.removal_capacity=300"])  # a policy lever, as users move
        figures["what-if at once after the page load (queued behind the baseline), first result (s)"] = first
        figures["  and all seeds (s)"] = every
        first, members, every = _what_if(url, ["title8.removal_capacity=200"])  # the baseline members done
        figures[f"next what-if, first result ({members} paired seeds) at scale {args.scale} (s)"] = first
        figures[f"  and all {args.n} paired seeds (s)"] = every
    finally:
        server.terminate()
        server.wait(timeout=60)
    for name, value in figures.items():
        print(f"{name}: {value:.2f}")
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
