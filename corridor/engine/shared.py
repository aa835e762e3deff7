"""Day state that phases hand to each other, declared rather than passed through string keys.

A phase lists the names it ``PRODUCES`` and those it ``READS``: ``today(name)`` is a value an
earlier phase of the same day produced; ``yesterday(name)`` is the value as the previous day left it
(on the first day, the initial value the state object declares). The names are attributes of one
dataclass per model (for example :class:`corridor.models.us_mexico.simulation.SharedState`), so a
misspelt name fails at once, and :func:`check_day_order` proves before the first day runs that
every value is produced before it is read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Read:
    name: str
    when: Literal["today", "yesterday"]


def today(name: str) -> Read:
    """A value produced earlier the same day by a phase before the reader."""
    return Read(name, "today")


def yesterday(name: str) -> Read:
    """A value as the previous day left it (the state's initial value on the first day)."""
    return Read(name, "yesterday")


class DayOrderError(Exception):
    """A model's phases read day state that is not produced in time: a programming error."""


def check_day_order(phases: Sequence[Any], state_type: type) -> None:
    """Check the phases' declarations against each other and against ``state_type``'s fields:
    a ``today`` read needs a producer earlier in the day; a ``yesterday`` read needs a producer
    at the reader or after it (else the reader would see today's value) and an initial value."""
    fields = {field.name: field for field in dataclasses.fields(state_type)}
    position: dict[str, list[int]] = {}
    for at, phase in enumerate(phases):
        for name in getattr(phase, "PRODUCES", ()):
            if name not in fields:
                raise DayOrderError(f"phase '{phase.name}' produces '{name}', which {state_type.__name__} lacks")
            position.setdefault(name, []).append(at)
    for at, phase in enumerate(phases):
        for read in getattr(phase, "READS", ()):
            field = fields.get(read.name)
            if field is None:
                raise DayOrderError(f"phase '{phase.name}' reads '{read.name}', which {state_type.__name__} lacks")
            producers = position.get(read.name, [])
            if read.when == "today" and not any(p < at for p in producers):
                raise DayOrderError(
                    f"phase '{phase.name}' reads today's '{read.name}', but no earlier phase of the day produces it"
                )
            if read.when == "yesterday":
                if not any(p >= at for p in producers):
                    raise DayOrderError(
                        f"phase '{phase.name}' reads yesterday's '{read.name}', but no phase "
                        "at or after it produces it (it would read today's value)"
                    )
                if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                    raise DayOrderError(f"'{read.name}' is read as yesterday's value but has no initial value")
