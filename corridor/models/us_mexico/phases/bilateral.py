"""Mexico's enforcement effort, the state variable the two governments bargain over.

Either an exogenous timeline (policy events set ``mexico.effort``: the June 2019 deployment, the
December 2023 crackdown) or, with ``mexico.bargain`` on, the outcome of the bargain between the two
governments (:mod:`corridor.models.us_mexico.bargain`, docs/bilateral.md): once a week the US presses
in proportion to the Border Patrol encounters of the last 30 days, higher in election seasons, and the
dated record of threats, delegations, arrests, aid and vaccines moves both sides; Mexico's effort is
its best answer. Effort then multiplies detection at checkpoints and raids.
"""

from __future__ import annotations

import numpy as np

from corridor.levers import Lever
from corridor.models.us_mexico import bargain
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.sources import NYT_2024_MEXICO_ELECTIONS
from corridor.models.us_mexico.world import COMPONENTS
from corridor.results.outputs import Output
from corridor.scenario.errors import ScenarioError

LEVERS = [
    Lever(
        "mexico.effort",
        1.0,
        "index (1 = early 2019)",
        f"{NYT_2024_MEXICO_ELECTIONS}; timeline events in policies.yaml",
        "Mexico's enforcement effort when the bargain is off: multiplies detection at checkpoints and raids",
        hi=20,
    ),
    Lever(
        "mexico.bargain",
        0.0,
        "0/1",
        "docs/bilateral.md (a two-level game with issue linkage, as reaction functions)",
        "1 = Mexico's effort comes out of the bargain between the two governments over the bilateral record, "
        "instead of the mexico.effort timeline",
        hi=1,
    ),
    *bargain.LEVERS,
]

# results variable -> (bargain state variable, unit, meaning); NaN when the bargain is off
BARGAIN_OUTPUTS = {
    "us_pressure": ("us_pressure", "1 (pressure index)", "US pressure on Mexico over migration"),
    "mexican_grievance": ("grievance", "1 (1 = the Cienfuegos arrest)", "Mexico's grievance (negative: goodwill)"),
    "security_cooperation": ("security_cooperation", "1 (index, 1 = no grievance)", "US-Mexico security cooperation"),
    "extraditions": ("extraditions", "1 (index, 1 = full cooperation)", "pace of extraditions to the US"),
    "us_criticism": ("criticism", "1 (1 = sustained accusation)", "US public criticism of organised crime in Mexico"),
}
USBP = COMPONENTS.index("usbp")
WINDOW_DAYS = 30


class Bilateral(Phase):
    name = "bilateral"
    LEVERS = LEVERS
    OUTPUTS = (
        Output(
            "mexico_effort", ("time",), "1 (index, 1 = early 2019)", "Mexico's migration-enforcement effort", "state"
        ),
        *(Output(name, ("time",), unit, meaning, "state") for name, (_, unit, meaning) in BARGAIN_OUTPUTS.items()),
    )
    PRODUCES = ("effort",)

    def __init__(self, world):
        super().__init__(world)
        self._bargain: bargain.Bargain | None = None
        self._next_week = 0  # day of the bargain's next weekly step

    def apply(self, sim, day: int) -> None:
        if sim.params.scalar("mexico.bargain") >= 0.5:
            if self._bargain is None or day >= self._next_week:
                self._bargain = self._advance(sim, day)
                self._next_week = day + int(bargain.WEEK_DAYS)
            state = self._bargain.state
            effort = float(state[bargain.STATE_INDEX["effort"]])
            for output, (variable, _, _) in BARGAIN_OUTPUTS.items():
                sim.counters[output][day] = state[bargain.STATE_INDEX[variable]]
        else:
            effort = sim.params.scalar("mexico.effort")
        sim.shared.effort = effort
        sim.counters["mexico_effort"][day] = effort

    def _advance(self, sim, day: int) -> bargain.Bargain:
        """One week of the bargain (started today if it was off), fed with the Border Patrol encounters
        (in people) of the last 30 days; before 30 days have run, with its reference (the early-2019
        level), while agents reach the border. The model's build has checked that a record exists."""
        p = bargain.parameters({lever.name: sim.params.scalar(lever.name) for lever in bargain.LEVERS})
        if day < WINDOW_DAYS:
            encounters = p["encounter_reference"]
        else:
            encounters = float(sim.counters["encounters"][day - WINDOW_DAYS : day, :, USBP].sum()) / sim.scale
        if self._bargain is None:
            assert self.world.bilateral_record is not None
            started = bargain.Bargain(self.world.bilateral_record, p, self.world.dates[day].date(), encounters)
        else:
            started = self._bargain
            started.p = p
        started.advance(encounters)
        return started


def check_bargain_has_a_record(world, params, events, scenario_yaml) -> None:
    """Refuse, before the first day, a run that turns the bargain on (at the start or by a dated
    event) in a scenario that names no bilateral record."""
    turned_on = params.scalar("mexico.bargain") >= 0.5 or any(
        located.event.lever == "mexico.bargain" and located.event.value >= 0.5 for located in events
    )
    if turned_on and world.bilateral_record is None:
        raise ScenarioError(
            scenario_yaml,
            "mexico.bargain is on but the scenario names no bilateral record",
            key="bilateral_record",
            expected="a CSV of the bargain's dated events and elections (docs/bilateral.md)",
        )


def new_bargain_counters(n_days: int) -> dict[str, np.ndarray]:
    """The bargain's daily state variables, NaN on days it does not run (mexico.bargain off)."""
    return {name: np.full(n_days, np.nan) for name in BARGAIN_OUTPUTS}
