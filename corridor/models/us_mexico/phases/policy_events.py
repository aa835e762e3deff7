"""Applies the day's policy events to the lever values before any mechanism reads them."""

from __future__ import annotations


class PolicyEvents:
    name = "policy_events"
    LEVERS: list = []

    def apply(self, sim, day: int) -> None:
        sim.timeline.apply(sim.params, day)
