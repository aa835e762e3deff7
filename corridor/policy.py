"""The policy timeline: dated events that set or scale any lever, optionally ramped over days.

One mechanism serves every policy (Title 42, Remain in Mexico, appointments, checkpoint surges,
closures, Mexico's enforcement effort), so a user adds a what-if by adding an event.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from corridor.levers import ParameterSet
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import LocatedEvent


@dataclass
class _Compiled:
    day: int
    lever: str
    where: int | None
    action: str
    value: float
    ramp_days: int
    located: LocatedEvent


@dataclass
class _Ramp:
    lever: str
    where: int | None
    start_day: int
    end_day: int
    start: np.ndarray
    target: np.ndarray


class Timeline:
    """Events by simulation day; :meth:`apply` brings a ParameterSet to a given day."""

    def __init__(
        self, events: Sequence[LocatedEvent], start, params: ParameterSet, pinned: Mapping[str, object] | None = None
    ):
        """``pinned`` are a caller's overrides: dated 'set' events of those levers are dropped (the
        override replaces the scenario's own values), while 'scale' events still apply on top."""
        self._by_day: dict[int, list[_Compiled]] = {}
        pinned = pinned or {}
        for located in events:
            event = located.event
            where = _where(params, located)
            if event.action == "set":
                try:
                    params.check_value(event.lever, event.value, located.file, located.key or "")
                except ScenarioError as error:
                    raise _located(located, error, field="value") from None
            elif not (math.isfinite(event.value) and event.value >= 0):
                raise _located(
                    located,
                    ScenarioError(
                        located.file,
                        "a 'scale' event needs a finite factor >= 0",
                        found=event.value,
                        expected="a factor such as 0.5 or 2",
                    ),
                    field="value",
                )
            if event.action == "set" and _is_pinned(pinned.get(event.lever), event.where):
                continue
            day = (event.date - start).days
            compiled = _Compiled(max(day, 0), event.lever, where, event.action, event.value, event.ramp_days, located)
            if day < 0 and event.ramp_days == 0:
                compiled.day = 0  # events before the start are in force from day 0
            self._by_day.setdefault(compiled.day, []).append(compiled)
        self._ramps: list[_Ramp] = []
        self._check_bounds(params)
        self._ramps = []

    def _check_bounds(self, params: ParameterSet) -> None:
        """Play the timeline on a copy of ``params``: every value a lever reaches, also through
        'scale' events (whose result no single event shows), must lie within the lever's bounds.
        Events of one day act together, so the check follows each day's last event."""
        trial = params.copy()
        last_day = max((day + event.ramp_days for day, events in self._by_day.items() for event in events), default=-1)
        for day in range(last_day + 1):
            if day not in self._by_day and not self._ramps:
                continue  # nothing changes on this day
            self.apply(trial, day)
            if day not in self._by_day:
                continue
            last_event = {event.lever: event for event in self._by_day[day]}
            for ramp in self._ramps:
                if ramp.start_day == day:  # a ramp ends at its target; check it now, at its event
                    for value in ramp.target:
                        self._check_value(trial, last_event[ramp.lever], float(value))
            for lever, event in last_event.items():
                for value in trial[lever]:
                    self._check_value(trial, event, float(value))

    @staticmethod
    def _check_value(params: ParameterSet, event: _Compiled, value: float) -> None:
        try:
            params.check_value(event.lever, value, event.located.file, event.located.key or "")
        except ScenarioError as error:
            raise _located(
                event.located,
                ScenarioError(
                    error.file,
                    f"after this event, lever '{event.lever}' reaches a value beyond its bounds",
                    found=value,
                    expected=error.expected,
                ),
                field="value",
            ) from None

    def fires_on(self, day: int) -> bool:
        """Whether a dated event takes effect on ``day`` (ramps in progress do not count)."""
        return day in self._by_day

    def apply(self, params: ParameterSet, day: int) -> None:
        for event in self._by_day.get(day, ()):
            current = params[event.lever] if event.where is None else params[event.lever][event.where : event.where + 1]
            target = np.full_like(current, event.value) if event.action == "set" else current * event.value
            if event.ramp_days:
                self._ramps = [r for r in self._ramps if not (r.lever == event.lever and r.where == event.where)]
                self._ramps.append(_Ramp(event.lever, event.where, day, day + event.ramp_days, current.copy(), target))
            else:
                current[:] = target
        still = []
        for ramp in self._ramps:
            fraction = min(1.0, (day - ramp.start_day + 1) / (ramp.end_day - ramp.start_day))
            values = params[ramp.lever] if ramp.where is None else params[ramp.lever][ramp.where : ramp.where + 1]
            values[:] = ramp.start + fraction * (ramp.target - ramp.start)
            if fraction < 1.0:
                still.append(ramp)
        self._ramps = still


def _where(params: ParameterSet, located: LocatedEvent) -> int | None:
    """Position of the event's ``where`` in its lever's index; a bad lever or name is reported
    at the event's YAML key or CSV row."""
    event = located.event
    try:
        return params.position(event.lever, event.where, located.file, located.key or "")
    except ScenarioError as error:
        raise _located(located, error, field="lever" if error.found == event.lever else "where") from None


def _located(located: LocatedEvent, error: ScenarioError, field: str) -> ScenarioError:
    """``error`` at the event's CSV row and field, or at its YAML key."""
    if located.row is None:
        return ScenarioError(located.file, error.problem, key=located.key, found=error.found, expected=error.expected)
    return ScenarioError(
        located.file, error.problem, row=located.row, field=field, found=error.found, expected=error.expected
    )


def _is_pinned(override: object, where: str | None) -> bool:
    if override is None:
        return False
    if isinstance(override, Mapping):
        return where is not None and where in override
    return True
