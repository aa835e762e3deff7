"""End of day: stocks (people waiting per place, the asylum backlog) and, weekly, compaction of agents
who left the simulation and the move of those who went home into their pool (phases/home.py), so the cost of
each day follows the population on the road."""

from __future__ import annotations

from numba import njit

from corridor.engine.shared import today, yesterday
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.phases.home import clear_road
from corridor.models.us_mexico.world import Status
from corridor.results.outputs import Output


@njit(cache=True)
def _count_waiting(status, place, waiting):
    """Add everyone waiting in a border city (for a crossing or a US hearing) to ``waiting`` by place, in one pass
    over the agents (two masks, their union, an index and a count were five)."""
    for i in range(status.shape[0]):
        if status[i] == Status.WAITING or status[i] == Status.MPP_WAIT:
            waiting[place[i]] += 1


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
        _count_waiting(s.status, s.place, counters["waiting"][day])
        counters["backlog"][day] = sim.shared.released.sum()
        if day % 7 == 6:
            clear_road(sim)
