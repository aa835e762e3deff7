"""`corridor calibrate` shows its progress in a terminal (trials done of N, best distance so far,
elapsed time) and prints no bar into a file or pipe, as `ensemble` and `compare` do. The command runs
as a user starts it, once under a pseudo-terminal and once with its output piped."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import yaml
from tiny_world import tiny_world

TRIALS = 2
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _command(folder: Path, out: Path) -> list[str]:
    command = [sys.executable, "-m", "corridor.cli", "calibrate", str(folder), "--trials", str(TRIALS)]
    return [*command, "--workers", "1", "--out", str(out)]


def _scenario(tmp_path: Path) -> Path:
    folder = tiny_world(tmp_path / "tiny", days=60, daily_departures=50.0)
    (folder / "priors.yaml").write_text(yaml.safe_dump([{"lever": "border.retry_share", "low": 0.1, "high": 0.8}]))
    return folder


def _in_a_terminal(command: list[str]) -> str:
    """The command's output when its stdout and stderr are a (pseudo-)terminal."""
    main, child = pty.openpty()
    process = subprocess.Popen(command, stdout=child, stderr=child, env={**os.environ, "COLUMNS": "120"})
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    assert process.wait(timeout=600) == 0, b"".join(chunks).decode(errors="replace")
    return ANSI.sub("", b"".join(chunks).decode(errors="replace"))


def test_calibrate_shows_trials_best_distance_and_time_in_a_terminal_only(tmp_path):
    folder = _scenario(tmp_path)
    shown = _in_a_terminal(_command(folder, tmp_path / "fitted_tty"))
    bar = [line for line in re.split(r"[\r\n]", shown) if line.startswith("calibrating")]
    assert any(f"{TRIALS}/{TRIALS}" in line and "best distance" in line for line in bar), shown
    assert any(re.search(r"\b0/2\b", line) for line in bar)  # it shows before the first trial ends
    assert all(re.search(r"\d+:\d\d:\d\d", line) for line in bar)  # elapsed time
    assert "fitted scenario" in shown

    piped = subprocess.run(_command(folder, tmp_path / "fitted_pipe"), capture_output=True, text=True, timeout=600)
    assert piped.returncode == 0, piped.stderr
    assert "fitted scenario" in piped.stdout and "calibrating" not in piped.stdout + piped.stderr
