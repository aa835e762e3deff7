"""The dated record of the US–Mexico bargain: every move on migration, security, aid, vaccines and
criticism, and the electoral calendar of both countries, read from one CSV with sources.

Each row is an impulse of ``size`` (in the unit of its channel, see ``CHANNEL_UNITS``) to one state
variable of :mod:`corridor.models.us_mexico.bargain`, or an election (size = weight of the season).
The model turns these impulses into effort; the record never says how much effort Mexico makes.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from corridor.resources import builtin_scenario
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import _read_table
from corridor.scenario.schema import Strict

RECORD_FILE = builtin_scenario() / "bilateral_record.csv"

Channel = Literal[
    "us_coercion",
    "delegation",
    "security_cooperation",
    "extraditions",
    "aid",
    "vaccines",
    "criticism",
    "mexican_grievance",
    "us_election",
    "mexico_election",
    "us_measure",
    "appointment",
]
# channel -> (state variable it hits, unit of size); elections, US measures and appointments hit no state variable.
CHANNEL_UNITS: dict[Channel, tuple[str | None, str]] = {
    "us_coercion": ("coercion", "1 = the 30 May 2019 tariff threat on all Mexican imports"),
    "delegation": ("engagement", "1 = a cabinet-level delegation that closes a deal (7 Jun 2019, 27 Dec 2023)"),
    "security_cooperation": ("security_cooperation", "index points (1 = cooperation without grievance)"),
    "extraditions": ("extraditions", "index points (1 = the pace that full cooperation gives)"),
    "aid": ("aid", "US$100 million of development aid pledged"),
    "vaccines": ("vaccines", "million vaccine doses delivered"),
    "criticism": ("criticism", "1 = sustained public accusation by the US government"),
    "mexican_grievance": ("grievance", "1 = the grievance of the Cienfuegos arrest"),
    "us_election": (None, "weight of the season (1 presidential, 0.5 midterm)"),
    "mexico_election": (None, "weight of the season (1 general, 0.5 midterm)"),
    "us_measure": (None, "not read by the bargain (acts through the encounters it changes); size 0"),
    "appointment": (None, "a new government or key official, recorded for the reader; not read by the bargain; size 0"),
}
assert tuple(CHANNEL_UNITS) == get_args(Channel)  # every channel has its unit
ELECTION_CHANNELS = ("us_election", "mexico_election")


class BilateralEventRow(Strict):
    date: dt.date
    event: str = Field(min_length=1, description="what happened")
    channel: Channel = Field(description="which state variable the event hits")
    size: float = Field(description="impulse in the channel's unit (CHANNEL_UNITS)")
    source: str = Field(min_length=1, description="outlet, date and title, or agency document")

    @field_validator("size")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("size must be a finite number")
        return value

    @model_validator(mode="after")
    def _election_weight(self):
        if self.channel in ELECTION_CHANNELS and not 0 < self.size <= 1:
            raise ValueError("an election's size is the weight of its season, above 0 and at most 1")
        return self


@dataclass(frozen=True)
class BilateralRecord:
    """The record's events in date order (a few dozen rows, scanned once a simulated week)."""

    events: tuple[BilateralEventRow, ...]

    def without(self, *words: str) -> BilateralRecord:
        """The record less every event whose description contains one of ``words`` (counterfactuals)."""
        kept = tuple(event for event in self.events if not any(word in event.event for word in words))
        if len(kept) == len(self.events):
            raise ValueError(f"no event of the record matches {words}")
        return replace(self, events=kept)

    def impulses(self, start: dt.date, end: dt.date) -> dict[str, float]:
        """Summed size per state variable of the events with start <= date < end."""
        totals: dict[str, float] = {}
        for event in self.events:
            target = CHANNEL_UNITS[event.channel][0]
            if target is not None and start <= event.date < end:
                totals[target] = totals.get(target, 0.0) + event.size
        return totals

    def season(self, channel: str, day: dt.date, lead_days: float) -> float:
        """Election salience in [0, 1]: rises linearly over ``lead_days`` to the weight of the next
        election on its day, and is gone the day after."""
        level = 0.0
        for event in self.events:
            if event.channel == channel:
                days_before = (event.date - day).days
                if 0 <= days_before < lead_days:
                    level = max(level, event.size * (1.0 - days_before / lead_days))
        return level


def read_record(path: Path = RECORD_FILE) -> BilateralRecord:
    """Read and check the record; a malformed row raises a located ScenarioError."""
    rows = _read_table(Path(path), BilateralEventRow)
    for line, (before, row) in enumerate(pairwise(rows), start=3):
        if row.date < before.date:
            raise ScenarioError(
                path,
                "events must be in date order",
                row=line,
                field="date",
                found=str(row.date),
                expected=f"on or after {before.date}",
            )
    return BilateralRecord(tuple(rows))
