"""Shared fixtures: the built-in scenario, and a shortened low-scale copy that runs in about a second."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from corridor.resources import builtin_scenario

SVG = "{http://www.w3.org/2000/svg}"  # the namespace of the reports' inline figures and maps


def report_svgs(page: str) -> list[ET.Element]:
    """Every inline ``<svg>`` of a report page, parsed."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def report_map(page: str) -> ET.Element:
    """The report's one corridor map."""
    (found,) = [svg for svg in report_svgs(page) if svg.get("id") == "corridor-map"]
    return found


US_MEXICO = builtin_scenario()


def shortened_copy(target: Path, **changes) -> Path:
    """Copy the US–Mexico scenario to ``target`` with scenario.yaml keys replaced."""
    shutil.copytree(US_MEXICO, target)
    config = yaml.safe_load((target / "scenario.yaml").read_text())
    config.update(changes)
    (target / "scenario.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return target


@pytest.fixture(scope="session")
def fy2022(tmp_path_factory) -> Path:
    """FY2022 (Title 42 in force, before the 36-hour ruling) at one agent per 50 people."""
    return shortened_copy(
        tmp_path_factory.mktemp("scenario") / "fy2022",
        start="2021-10-01",
        end="2022-09-30",
        report_start="2021-10-01",
        scale=0.02,
    )
