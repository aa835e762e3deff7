"""End of day: stocks (people waiting per place, the asylum backlog) and compaction of agents
who left the simulation, so the cost of each day follows the active population."""

from __future__ import annotations

import numpy as np

from corridor.models.us_mexico.world import Status


class Bookkeeping:
    name = "bookkeeping"
    LEVERS: list = []

    def apply(self, sim, day: int) -> None:
        s, counters = sim.state, sim.counters
        sim.memory["agent_steps"] = sim.memory.get("agent_steps", 0) + s.n
        waiting = (s.status == Status.WAITING) | (s.status == Status.MPP_WAIT)
        counters["waiting"][day] = np.bincount(s.place[waiting], minlength=counters["waiting"].shape[1])
        counters["backlog"][day] = sim.memory.get("released_people", 0.0) * sim.scale
        if day % 7 == 6:
            s.compact(s.status != Status.GONE)
