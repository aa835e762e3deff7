"""The day loop: an ordered list of phases applied to the simulation each day.

A phase is any object with a ``name`` and ``apply(sim, day)``. The order is data (a list),
printable with :func:`plan`, and each phase is timed so users can see where time goes. A model
assembles a :class:`Run` from a scenario (see :mod:`corridor.models`); the loop runs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from corridor.levers import ParameterSet


class Phase(Protocol):
    @property
    def name(self) -> str: ...  # read-only: a phase class may declare it as a class variable

    def apply(self, sim: Any, day: int) -> None: ...


@dataclass
class Run:
    """A scenario assembled for the loop: the simulation state, the day's phases in order, the
    number of days, and the lever values (those of the start until the loop runs: the scenario's
    parameters and any overrides; empty for a model without levers)."""

    sim: Any
    phases: Sequence[Phase]
    n_days: int
    params: ParameterSet
    overrides: Mapping[str, object] = field(default_factory=dict)  # a caller's lever settings, for the record

    def execute(self, on_day: Callable[[int], None] | None = None) -> dict:
        """Run every day; ``{"phase_seconds": {phase: s}, "wall_seconds": s}``."""
        start = time.perf_counter()
        seconds = run_days(self.sim, self.phases, self.n_days, on_day)
        return {"phase_seconds": seconds, "wall_seconds": time.perf_counter() - start}


def plan(phases: Sequence[Phase]) -> list[str]:
    """The ordered phase names of one simulated day."""
    return [phase.name for phase in phases]


def run_days(
    sim: Any,
    phases: Sequence[Phase],
    n_days: int,
    on_day: Callable[[int], None] | None = None,
) -> dict[str, float]:
    """Advance ``sim`` through ``n_days`` days; return seconds spent in each phase."""
    seconds = {phase.name: 0.0 for phase in phases}
    for day in range(n_days):
        for phase in phases:
            start = time.perf_counter()
            phase.apply(sim, day)
            seconds[phase.name] += time.perf_counter() - start
        if on_day is not None:
            on_day(day)
    return seconds
