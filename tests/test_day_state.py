"""Phases declare the day state they share, and route choice knows which levers its table read."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

from corridor.engine.shared import DayOrderError, check_day_order
from corridor.models.flee.phases import FleeShared, flee_phases
from corridor.models.us_mexico.phases import LeverMemo
from corridor.models.us_mexico.phases.checkpoints import detection_probability
from corridor.models.us_mexico.simulation import SharedState
from corridor.runner import assemble


@pytest.fixture(scope="module")
def run(fy2022):
    return assemble(fy2022).run


def phase(run, name):
    return next(p for p in run.phases if p.name == name)


def test_the_built_in_day_is_in_order(run):
    check_day_order(run.phases, SharedState)


def test_reading_today_what_a_later_phase_produces_fails_at_build(run):
    phases = [p for p in run.phases if p.name != "bookkeeping"]
    bookkeeping = phase(run, "bookkeeping")
    early = [*phases[:1], bookkeeping, *phases[1:]]  # before us_processing produces today's releases
    with pytest.raises(DayOrderError, match=r"bookkeeping.*today's 'released'"):
        check_day_order(early, SharedState)


def test_reading_yesterday_what_an_earlier_phase_produces_fails_at_build(run):
    phases = [p for p in run.phases if p.name != "departure"] + [phase(run, "departure")]
    with pytest.raises(DayOrderError, match=r"departure.*yesterday's 'heard'"):
        check_day_order(phases, SharedState)


@pytest.fixture(params=["us_mexico", "flee"])
def model_phases(request, run):
    return run.phases if request.param == "us_mexico" else flee_phases()


def test_each_phase_touches_only_the_shared_state_it_declares(model_phases):
    for p in model_phases:
        source = inspect.getsource(type(p))
        written = set(re.findall(r"sim\.shared\.(\w+)\s*(?:\+|-)?=(?!=)", source))
        written |= set(re.findall(r"sim\.shared\.(\w+)\s*,[^=\n]*=(?!=)", source))  # a, b = ... unpacking
        used = set(re.findall(r"sim\.shared\.(\w+)", source))
        produces = set(getattr(p, "PRODUCES", ()))
        declared = produces | {read.name for read in getattr(p, "READS", ())}
        assert written <= produces, (p.name, written - produces)
        assert used <= declared, (p.name, used - declared)


def test_the_flee_day_is_in_order():
    check_day_order(flee_phases(), FleeShared)


def test_flee_travel_before_the_scores_of_the_day_fails_at_build():
    phases = flee_phases()
    scores = next(p for p in phases if p.name == "scores")
    early = [p for p in phases if p is not scores] + [scores]
    with pytest.raises(DayOrderError, match=r"move.*today's 'chance'"):
        check_day_order(early, FleeShared)


def test_route_choice_table_depends_only_on_the_levers_it_recorded(run):
    """Every lever whose change changes the choice table was recorded as read while the table was
    built, so the cache can never miss a change; levers of other mechanisms were not."""
    route_choice, params = phase(run, "route_choice"), run.params
    with params.recording() as reads:
        table = route_choice.choice_table(params, 1.0)
    assert {"checkpoints.detect_each", "route.choice_sharpness", "travel.speed_km_day"} <= reads
    assert "departure.scale" not in reads and "border.attempt_rate" not in reads
    changing = set()
    for name, lever in params.levers.items():
        changed = params.copy()
        values = changed[name]
        values[:] = np.clip(
            np.where(values == 0, lever.lo + 0.1 * min(lever.hi - lever.lo, 10), values * 0.5), lever.lo, lever.hi
        )
        if not np.array_equal(route_choice.choice_table(changed, 1.0), table):
            changing.add(name)
    assert changing and changing <= reads, changing - reads


def test_a_lever_memo_recomputes_only_when_a_lever_it_read_or_an_argument_changes(run):
    params, world = run.params.copy(), run.sim.world
    stop_chance = LeverMemo(lambda p, effort: detection_probability(world, p, effort))
    first = stop_chance(params, 1.0)
    params.set("border.attempt_rate", 2 * params.scalar("border.attempt_rate"))  # not read by it
    assert stop_chance(params, 1.0) is first
    params.set("checkpoints.detect_each", 2 * params.scalar("checkpoints.detect_each"))
    raised = stop_chance(params, 1.0)
    assert np.array_equal(raised, detection_probability(world, params, 1.0)) and (raised > first).any()
    assert (stop_chance(params, 2.0) > raised).any()
