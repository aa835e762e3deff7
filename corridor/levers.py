"""Levers: every named, documented parameter a phase reads, and the current values of all of them.

A lever has a unit, a default, bounds and a source. Indexed levers hold one value per nationality
group, place, route or calendar month. Values change on dated policy events
(:mod:`corridor.policy`), from the scenario's ``parameters:`` block, or from a caller's overrides
(calibration, what-if runs).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corridor.scenario.errors import ScenarioError

# a caller's lever settings: {lever: value} or {lever: {where: value}}
Overrides = Mapping[str, float | Mapping[str, float]]


@dataclass(frozen=True)
class Lever:
    name: str
    default: float
    unit: str
    source: str
    doc: str
    index: str | None = None
    lo: float = 0.0
    hi: float = math.inf


class ParameterSet:
    """Current values of all levers as float arrays (length 1 for scalar levers)."""

    def __init__(
        self,
        levers: Iterable[Lever],
        index_names: Mapping[str, list[str]],
        table_defaults: Mapping[str, np.ndarray] | None = None,
    ):
        self.levers = {lever.name: lever for lever in levers}
        self.index_names = dict(index_names)
        self.values: dict[str, np.ndarray] = {}
        self._reads: set[str] | None = None  # levers read inside recording(), else None
        table_defaults = table_defaults or {}
        for name, lever in self.levers.items():
            size = len(self.index_names[lever.index]) if lever.index else 1
            if name in table_defaults:
                self.values[name] = np.asarray(table_defaults[name], dtype=np.float64).copy()
            else:
                self.values[name] = np.full(size, lever.default, dtype=np.float64)

    def __getitem__(self, name: str) -> np.ndarray:
        if self._reads is not None:
            self._reads.add(name)
        return self.values[name]

    def scalar(self, name: str) -> float:
        """A scalar lever's value as a Python float (read many times a day: kept to one array access)."""
        if self._reads is not None:
            self._reads.add(name)
        return self.values[name].item(0)

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """Collect the names of the levers read inside the block, so that a value computed from
        levers (route choice's table) is known to depend on exactly those."""
        self._reads = reads = set[str]()
        try:
            yield reads
        finally:
            self._reads = None

    def fingerprint(self, names: Iterable[str]) -> bytes:
        """The current values of ``names``, as bytes to compare with an earlier fingerprint."""
        return b"".join(self.values[name].tobytes() for name in names)

    def position(self, name: str, where: str | None, origin: Path, key: str) -> int | None:
        """Index of ``where`` in the lever's index (None = every entry)."""
        lever = self.lookup(name, origin, key)
        if where is None:
            return None
        if lever.index is None:
            raise ScenarioError(origin, f"lever '{name}' has no index, so 'where' must be empty", key=key, found=where)
        names = self.index_names[lever.index]
        if where not in names:
            raise ScenarioError(
                origin,
                f"unknown {lever.index} for lever '{name}'",
                key=key,
                found=where,
                expected=_suggestion(where, names),
            )
        return names.index(where)

    def lookup(self, name: str, origin: Path, key: str) -> Lever:
        if name not in self.levers:
            raise ScenarioError(
                origin,
                "unknown lever",
                key=key,
                found=name,
                expected=_suggestion(name, list(self.levers)) + " (corridor levers lists them all)",
            )
        return self.levers[name]

    def set(
        self, name: str, value: float, where: int | None = None, origin: Path = Path("<overrides>"), key: str = ""
    ) -> None:
        self.check_value(name, value, origin, key)
        if where is None:
            self.values[name][:] = value
        else:
            self.values[name][where] = value

    def check_value(self, name: str, value: float, origin: Path, key: str = "") -> None:
        """A value ``name`` may take: within the lever's bounds."""
        lever = self.lookup(name, origin, key or name)
        if not (math.isfinite(value) and lever.lo <= value <= lever.hi):
            raise ScenarioError(
                origin,
                f"value out of range for lever '{name}'",
                key=key or name,
                found=value,
                expected=f"between {lever.lo} and {lever.hi} ({lever.unit})",
            )

    def apply_overrides(
        self, overrides: Mapping[str, float | Mapping[str, float]], origin: Path, key_prefix: str = ""
    ) -> None:
        """Apply ``{lever: value}`` or ``{lever: {where: value}}`` (the scenario's parameters block, with
        ``key_prefix`` 'parameters.', or a caller's overrides)."""
        for name, value in overrides.items():
            key = f"{key_prefix}{name}"
            if isinstance(value, Mapping):
                for where, item in value.items():
                    self.set(name, float(item), self.position(name, where, origin, key), origin, f"{key}[{where}]")
            else:
                self.set(name, float(value), None, origin, key)

    def copy(self) -> ParameterSet:
        clone = object.__new__(ParameterSet)
        clone.levers, clone.index_names = self.levers, self.index_names
        clone.values = {name: value.copy() for name, value in self.values.items()}
        clone._reads = None
        return clone


def _suggestion(name: str, known: list[str]) -> str:
    """The known names closest to a misspelt one (difflib), or a few of them if none is close."""
    close = difflib.get_close_matches(name, known, n=4, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(match) for match in close) + "?"
    return f"one of {known[:12]}{' ...' if len(known) > 12 else ''}"
