"""Applies the day's policy events to the lever values before any mechanism reads them."""

from __future__ import annotations

from corridor.models.us_mexico.phases import Phase


class PolicyEvents(Phase):
    name = "policy_events"

    def apply(self, sim, day: int) -> None:
        sim.timeline.apply(sim.params, day)
