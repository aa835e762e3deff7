"""Reading ``--set`` lever settings from the command line into ``simulate`` overrides."""

from __future__ import annotations

import re

from corridor.scenario.errors import ScenarioError

SET_PATTERN = re.compile(r"^(?P<lever>[\w.]+)(\[(?P<where>[^\]]+)\])?=(?P<value>.+)$")


def parse_sets(sets: list[str]) -> dict:
    """``lever=value`` or ``lever[where]=value`` -> overrides for ``simulate``."""
    overrides: dict = {}
    for item in sets:
        match = SET_PATTERN.match(item)
        if not match:
            raise ScenarioError("--set", "cannot read this setting", found=item, expected="lever=value or lever[where]=value")
        try:
            value = float(match["value"])
        except ValueError:
            raise ScenarioError("--set", "the value is not a number", key=match["lever"], found=match["value"],
                                expected="a number") from None
        if match["where"]:
            overrides.setdefault(match["lever"], {})[match["where"]] = value
        else:
            overrides[match["lever"]] = value
    return overrides
