"""Parole with a US sponsor: a lawful way in that competes with the border.

Venezuelans from Oct 2022, then Cubans, Haitians and Nicaraguans from 5 Jan 2023 could apply to
fly in with a US sponsor, up to 30,000 a month, and crossing the border made one ineligible
(DHS fact sheet, 25 Jul 2023: their SW-border encounters, 7-day average, fell
from 3,453 in Dec 2022 to 394 by Jun 2023). Part of an eligible group's would-be departures apply
from home instead, and on the day a group becomes eligible the same share of those already on the way
in Mexico stop and apply from where they are: the January 2023 fall was immediate, not delayed by the
weeks of a journey.

The monthly places are one pool for every eligible group: when more apply than it holds, each group's
applicants get places in proportion to their number and the others set off after all (the departure phase
scales by ``staying_home``). So parole holds a group back only while its demand is small against the
places: a surge of would-be migrants spills over to the border.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.levers import Lever
from corridor.models.us_mexico.kernel_inputs import agents, on_the_road
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.world import Status

LEVERS = [
    Lever(
        "parole.eligible",
        0.0,
        "0/1",
        "parole dates in policies.yaml",
        "whether a group can apply for parole to fly in with a US sponsor",
        index="group",
        hi=1,
    ),
    Lever(
        "parole.stay_home_share",
        0.8,
        "share",
        "CHNV SWB encounters, 7-day average 3,453 (Dec 2022) -> 394 (Jun 2023): DHS fact sheet, 25 Jul 2023",
        "share of an eligible group's would-be migrants who apply for parole instead of crossing",
        index="group",
        hi=1,
    ),
    Lever(
        "parole.places_per_month",
        30_000.0,
        "people/month",
        "DHS fact sheet on the CHNV parole processes, 25 Jul 2023 (up to 30,000 a month for the four nationalities)",
        "parole places a month, shared by every eligible group",
        hi=1e7,
    ),
]

SWITCH = rng.decision_id("parole.switch")


def staying_home(params, would_be: np.ndarray, places_today: float) -> np.ndarray:
    """Share of each group's would-be departures (``would_be``, by group, today) who get parole and stay home:
    those who apply, or fewer where the applicants of every group together exceed ``places_today``."""
    applying = params["parole.eligible"] * params["parole.stay_home_share"]
    applicants = float(applying @ would_be)
    granted = 1.0 if applicants <= places_today else places_today / applicants
    return applying * granted


@njit(cache=True)
def _switch(seed, day, agents, switch_probability):
    """People of newly eligible groups still in Mexico stop and apply (they leave the corridor);
    switch_probability is by group."""
    key = rng.stream(seed, SWITCH, day)
    status, group = agents.status, agents.group
    for i in range(status.shape[0]):
        if not on_the_road(status[i]):
            continue
        if switch_probability[group[i]] > 0 and rng.draw(key, agents.id[i]) < switch_probability[group[i]]:
            status[i] = Status.GONE


class Parole(Phase):
    name = "parole"
    LEVERS = LEVERS

    def __init__(self, world):
        super().__init__(world)
        self._eligible_yesterday: np.ndarray | None = None

    def apply(self, sim, day: int) -> None:
        eligible = sim.params["parole.eligible"]
        before = np.zeros_like(eligible) if self._eligible_yesterday is None else self._eligible_yesterday
        self._eligible_yesterday = eligible.copy()
        newly = np.clip(eligible - before, 0.0, 1.0)
        if day == 0 or not newly.any():
            return
        _switch(sim.seed, day, agents(sim), newly * sim.params["parole.stay_home_share"])
