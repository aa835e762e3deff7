"""Giving up on a run that grows without bound: the priors' far corners multiply departures, and such a run, at a
fit's scale, takes minutes instead of seconds before it scores far worse than any other. Calibration trials and
ABC candidates both stop it and score it infinite."""

from __future__ import annotations

from collections.abc import Callable

from corridor.fit.study import series_attr
from corridor.fit.targets import Targets, swb_series
from corridor.runner import Assembled, assemble
from corridor.scenario.load import Scenario

# People on the road or at home at once beyond which a run is given up as hopeless (about three times every US
# southwest-border encounter of FY2021-FY2023)
MAX_PEOPLE = 20_000_000


class TooManyPeople(Exception):
    """A run holds more than MAX_PEOPLE at once."""


def give_up_beyond(assembled: Assembled, scale: float, max_people: float = MAX_PEOPLE) -> Callable[[int], None]:
    """An ``on_day`` check that raises :class:`TooManyPeople` once the agents alive on a day, in people, pass
    ``max_people`` (agents alive are what the day adds to the run's agent-steps)."""
    steps_before = 0

    def check(day: int) -> None:
        nonlocal steps_before
        steps = assembled.model.agent_steps(assembled.run)
        if (steps - steps_before) / scale > max_people:
            raise TooManyPeople(f"more than {max_people:,.0f} people at once on day {day}")
        steps_before = steps

    return check


def scored_run(
    scenario: Scenario, overrides: dict, seed: int, scale: float | None, targets: Targets
) -> tuple[dict[str, float], dict[str, float]]:
    """One run, on a worker: each target's MAPE and the run's monthly SW-border series; a run that grows past
    MAX_PEOPLE is given up and scores infinite on every target, with no series."""
    assembled = assemble(scenario, seed, overrides, scale)
    try:
        ds, _ = assembled.simulate(give_up_beyond(assembled, scale or scenario.config.scale))
    except TooManyPeople:
        return dict.fromkeys(targets.series, float("inf")), {}
    return targets.scores(ds), series_attr(swb_series(ds))
