"""End of day: stocks (people waiting per place, the asylum backlog) and, weekly, compaction of agents
who left the simulation and the move of those who went home into their pool (phases/home.py), so the cost of
each day follows the population on the road."""

from __future__ import annotations

import numpy as np

from corridor.engine.shared import today, yesterday
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.phases.home import move_home
from corridor.models.us_mexico.world import Status
from corridor.results.outputs import Output


class Bookkeeping(Phase):
    name = "bookkeeping"
    OUTPUTS = (
        Output(
            "waiting",
            ("time", "border_city"),
            "people",
            "people waiting in each Mexican border city (for an appointment, a crossing or a US hearing)",
            "stock",
        ),
        Output(
            "backlog",
            ("time",),
            "people",
            "people released into the US since the start, each adding a case to the immigration-court backlog",
            "stock",
        ),
    )
    PRODUCES = ("agent_steps",)
    READS = (yesterday("agent_steps"), today("released"))

    def apply(self, sim, day: int) -> None:
        s, counters = sim.state, sim.counters
        sim.shared.agent_steps += s.n + sim.at_home.n
        waiting = (s.status == Status.WAITING) | (s.status == Status.MPP_WAIT)
        counters["waiting"][day] = np.bincount(s.place[waiting], minlength=counters["waiting"].shape[1])
        counters["backlog"][day] = sim.shared.released.sum()
        if day % 7 == 6:
            move_home(sim)
            s.compact(s.status != Status.GONE)
