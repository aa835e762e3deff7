"""The dated policy events marked on the time axes of the reports and of the workbench's charts: the
named events of the scenario's timeline (policies.yaml and its schedules) and, when the bargain ran,
the rows of its bilateral record. Events of one month share a mark, so that events days apart do
not draw on top of each other on a monthly axis."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
import xarray as xr

BARGAIN_STATE = "us_pressure"  # a results variable that is NaN unless the bargain ran


@dataclass(frozen=True)
class EventMark:
    """One month's events: the first day of the month and the events' dates and names joined."""

    month: pd.Timestamp
    label: str

    def as_json(self) -> dict:
        return {"month": f"{self.month:%Y-%m}", "label": self.label}


def bargain_ran(ds: xr.Dataset) -> bool:
    """Whether the bilateral bargain set Mexico's effort in this run (or in any member)."""
    return BARGAIN_STATE in ds and bool(ds[BARGAIN_STATE].notnull().any())


def _dated_names(scenario, with_record: bool) -> list[tuple[dt.date, str]]:
    dated = [(located.event.date, located.event.name) for located in scenario.timeline_events() if located.event.name]
    record_file = getattr(scenario.config, "bilateral_record", None)
    if with_record and record_file:
        from corridor.models.us_mexico.bilateral_record import read_record

        dated += [(row.date, row.event) for row in read_record(scenario.folder / record_file).events]
    return dated


def event_marks(scenario, with_record: bool = False) -> list[EventMark]:
    """A mark per month that has named events, in date order ('11 May 2023: A; B. 12 May 2023: C');
    ``with_record`` adds the bilateral record's events (when the bargain is on)."""
    by_date: dict[dt.date, list[str]] = defaultdict(list)
    for date, name in sorted(_dated_names(scenario, with_record)):
        if name not in by_date[date]:
            by_date[date].append(name)
    by_month: dict[pd.Timestamp, list[str]] = defaultdict(list)
    for date, names in by_date.items():
        by_month[pd.Timestamp(date).to_period("M").to_timestamp()].append(f"{date:%d %b %Y}: {'; '.join(names)}")
    return [EventMark(month, ". ".join(days)) for month, days in sorted(by_month.items())]


def marks_within(marks: list[EventMark], times: pd.Index) -> list[EventMark]:
    """The marks whose month lies within the (monthly) ``times`` of a run."""
    first, last = times[0].to_period("M").to_timestamp(), times[-1]
    return [mark for mark in marks if first <= mark.month <= last]
