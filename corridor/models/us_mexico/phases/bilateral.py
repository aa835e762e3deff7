"""Mexico's enforcement effort, the state variable the two governments bargain over.

By default an exogenous timeline (policy events set ``mexico.effort``: the June 2019 tariff
threat and deployment, the December 2023 call...). With ``mexico.response_rule`` on, effort
instead jumps after each US pressure event and decays back towards a floor, the floor standing
for Mexico's stated will to keep guarding the border regardless (The New York Times, late Feb/early
Mar 2024: Trump's tariff threat, the December 2023 call, unsteady enforcement, AMLO's pledge).
"""

from __future__ import annotations

import math

from corridor.engine.shared import yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.sources import NYT_2024_MEXICO_ELECTIONS
from corridor.results.outputs import Output

LEVERS = [
    Lever(
        "mexico.effort",
        1.0,
        "index (1 = early 2019)",
        f"{NYT_2024_MEXICO_ELECTIONS}; timeline events in policies.yaml",
        "Mexico's enforcement effort: multiplies detection at checkpoints and raids",
        hi=20,
    ),
    Lever(
        "mexico.response_rule",
        0.0,
        "0/1",
        f"{NYT_2024_MEXICO_ELECTIONS} (US officials: enforcement is not sustained)",
        "1 = effort follows US pressure events instead of the exogenous timeline",
        hi=1,
    ),
    Lever(
        "mexico.pressure",
        0.0,
        "events/day",
        f"White House statement, 30 May 2019 (tariff threat); {NYT_2024_MEXICO_ELECTIONS} (December 2023 call)",
        "a US pressure event on this day (set to 1 by a policy event; read once)",
        hi=10,
    ),
    Lever(
        "mexico.pressure_jump",
        0.8,
        "effort index per event",
        "hand-set prior; unverified",
        "rise in effort after one pressure event (response rule)",
        hi=10,
    ),
    Lever(
        "mexico.effort_decay_days",
        150.0,
        "days",
        f"{NYT_2024_MEXICO_ELECTIONS} (enforcement not sustained)",
        "e-folding time of effort back to the floor (response rule)",
        lo=1,
        hi=3650,
    ),
    Lever(
        "mexico.effort_floor",
        1.0,
        "index",
        f"{NYT_2024_MEXICO_ELECTIONS} (AMLO: Mexico keeps guarding the border)",
        "lowest effort under the response rule",
        hi=20,
    ),
]


class Bilateral(Phase):
    name = "bilateral"
    LEVERS = LEVERS
    OUTPUTS = [
        Output(
            "mexico_effort", ("time",), "1 (index, 1 = early 2019)", "Mexico's migration-enforcement effort", "state"
        ),
    ]
    PRODUCES = ("effort",)
    READS = (yesterday("effort"),)  # the response rule decays from it

    def apply(self, sim, day: int) -> None:
        params = sim.params
        if params.scalar("mexico.response_rule") >= 0.5:
            floor = params.scalar("mexico.effort_floor")
            previous = floor if sim.shared.effort is None else sim.shared.effort
            decay = math.exp(-1.0 / params.scalar("mexico.effort_decay_days"))
            effort = (
                floor
                + (previous - floor) * decay
                + params.scalar("mexico.pressure_jump") * params.scalar("mexico.pressure")
            )
            params["mexico.pressure"][:] = 0.0
        else:
            effort = params.scalar("mexico.effort")
        sim.shared.effort = effort
        sim.counters["mexico_effort"][day] = effort
