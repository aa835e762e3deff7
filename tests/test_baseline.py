"""The built-in run's headline figures are those pinned in tests/baseline.json (see tests/baseline.py)."""

from __future__ import annotations

import json

import pytest
from baseline import BASELINE, built_in_run, headline_figures


def test_the_built_in_runs_headline_figures_are_the_pinned_ones():
    pinned = json.loads(BASELINE.read_text())
    figures = headline_figures(built_in_run())
    assert figures.keys() == pinned.keys()
    moved = {
        name: (pinned[name], value) for name, value in figures.items() if value != pytest.approx(pinned[name], rel=1e-9)
    }
    assert not moved, (
        f"headline figures moved (pinned, now); if deliberate, run `python tests/baseline.py --update`: {moved}"
    )
