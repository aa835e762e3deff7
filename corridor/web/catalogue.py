"""What the workbench lists of a scenario: its levers grouped by the mechanism (phase) that reads
them, with unit, bounds, value at the start (per place or group where the lever is indexed), dated
changes and source. Built from each phase's LEVERS, so a lever a phase adds appears without edits."""

from __future__ import annotations

import math
from collections import defaultdict

from corridor.runner import Assembled


def _bound(value: float) -> float | None:
    return value if math.isfinite(value) else None


def lever_groups(assembled: Assembled) -> list[dict]:
    """``[{"mechanism", "doc", "levers": [...]}]`` in the order of the day's phases."""
    run, scenario = assembled.run, assembled.scenario
    changes: dict[str, list[dict]] = defaultdict(list)
    for located in scenario.timeline_events():
        event = located.event
        changes[event.lever].append(
            {
                "date": event.date.isoformat(),
                "action": event.action,
                "value": event.value,
                "where": event.where,
                "name": event.name,
                "source": event.source,
                "file": located.file.name,
            }
        )
    groups = []
    for phase in run.phases:
        levers = []
        for lever in getattr(phase, "LEVERS", ()):
            values = run.params[lever.name]
            levers.append(
                {
                    "name": lever.name,
                    "unit": lever.unit,
                    "doc": lever.doc,
                    "source": lever.source,
                    "index": lever.index,
                    "lo": _bound(lever.lo),
                    "hi": _bound(lever.hi),
                    "default": lever.default,
                    "value": float(values[0]) if not lever.index else None,
                    "values": dict(zip(run.params.index_names[lever.index], values.tolist(), strict=True))
                    if lever.index
                    else {},
                    "changes": sorted(changes[lever.name], key=lambda change: change["date"]),
                }
            )
        if levers:
            groups.append({"mechanism": phase.name, "doc": (type(phase).__doc__ or "").strip(), "levers": levers})
    return groups


def bargain_on(assembled: Assembled) -> bool:
    """Whether the scenario's baseline lets the bilateral bargain set Mexico's effort (its record's
    events then join the policy events on the time axes)."""
    params = assembled.run.params
    return "mexico.bargain" in params.levers and params.scalar("mexico.bargain") >= 0.5
