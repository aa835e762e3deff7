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
            raise ScenarioError(
                "--set", "cannot read this setting", found=item, expected="lever=value or lever[where]=value"
            )
        try:
            value = float(match["value"])
        except ValueError:
            raise ScenarioError(
                "--set", "the value is not a number", key=match["lever"], found=match["value"], expected="a number"
            ) from None
        lever, where = match["lever"], match["where"]
        if (isinstance(overrides.get(lever), dict)) != bool(where) and lever in overrides:
            raise ScenarioError(
                "--set",
                "a lever is set either as a whole or per entry, not both",
                key=lever,
                found=item,
                expected=f"only {lever}=value or only {lever}[where]=value settings",
            )
        if where:
            overrides.setdefault(lever, {})[where] = value
        else:
            overrides[lever] = value
    return overrides
