"""AgentState (struct of arrays: append / grow / compact / copy_rows / insert / take_last) and the day loop
(run_days, plan)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.engine import loop
from corridor.engine.loop import plan, run_days
from corridor.engine.state import AgentState

SCHEMA = {"place": np.int32, "wealth": np.float64, "alive": np.bool_, "uid": np.int64}


# ------------------------------------------------------------------ AgentState


def _reference_append(ref: dict[str, list], count: int, values: dict) -> None:
    for name, dtype in SCHEMA.items():
        value = values.get(name, 0)
        column = np.broadcast_to(np.asarray(value, dtype=dtype), (count,))
        ref[name].extend(column.tolist())


def _assert_matches(state: AgentState, ref: dict[str, list]) -> None:
    n = len(ref["uid"])
    assert state.n == n
    assert state.capacity >= n
    for name, dtype in SCHEMA.items():
        column = getattr(state, name)
        assert column.dtype == np.dtype(dtype)
        assert column.shape == (n,)
        np.testing.assert_array_equal(column, np.asarray(ref[name], dtype=dtype))


_append = st.tuples(st.just("append"), st.integers(0, 300), st.booleans())
_compact = st.tuples(st.just("compact"), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))


@settings(max_examples=150, deadline=None)
@given(capacity=st.integers(1, 64), ops=st.lists(st.one_of(_append, _compact), max_size=25))
def test_property_append_grow_compact_keep_order_and_values(capacity, ops):
    state = AgentState(SCHEMA, capacity=capacity)
    ref = {name: [] for name in SCHEMA}
    next_uid = 0
    for op in ops:
        if op[0] == "append":
            _, count, as_scalars = op
            uid = np.arange(next_uid, next_uid + count, dtype=np.int64)
            next_uid += count
            if as_scalars:  # scalar values broadcast; 'wealth' left out must come back as zeros
                values = {"uid": uid, "place": 7, "alive": True}
            else:
                values = {"uid": uid, "place": (uid % 13).astype(np.int32), "wealth": uid * 0.5, "alive": uid % 2 == 0}
            before = state.capacity
            rows = state.append(count, **values)
            assert rows == slice(state.n - count, state.n)
            assert state.capacity >= before  # never shrinks
            _reference_append(ref, count, values)
        else:
            _, mask_seed, p_keep = op
            keep = np.random.default_rng(mask_seed).random(state.n) < p_keep
            capacity_before = state.capacity
            state.compact(keep)
            assert state.capacity == capacity_before
            for name in SCHEMA:
                ref[name] = [v for v, k in zip(ref[name], keep, strict=True) if k]
        _assert_matches(state, ref)
    # the surviving uids are strictly increasing: appends and compactions both keep order
    assert np.all(np.diff(state.uid) > 0)


def test_growth_preserves_values_and_is_geometric():
    state = AgentState({"x": np.int64}, capacity=4)
    capacities = []
    for i in range(200):
        state.append(1, x=i)
        capacities.append(state.capacity)
    np.testing.assert_array_equal(state.x, np.arange(200))
    # few reallocations: capacity grows by at least 1.5x (+1024) when it grows
    assert len(set(capacities)) <= 3


def test_columns_are_views_of_live_rows_and_writable():
    state = AgentState(SCHEMA, capacity=10)
    state.append(3, uid=np.array([10, 11, 12]))
    state.place[:] = [1, 2, 3]  # kernels write through the view
    np.testing.assert_array_equal(state.place, [1, 2, 3])
    state.append(2, uid=np.array([13, 14]), place=9)
    np.testing.assert_array_equal(state.place, [1, 2, 3, 9, 9])


def test_unknown_columns_are_rejected():
    state = AgentState(SCHEMA)
    with pytest.raises(KeyError):
        state.append(1, nationality=3)
    assert state.n == 0
    with pytest.raises(AttributeError):
        state.nationality  # noqa: B018


def test_compact_to_nothing_then_append_again():
    state = AgentState({"x": np.int32}, capacity=2)
    state.append(5, x=np.arange(5))
    state.compact(np.zeros(5, bool))
    assert state.n == 0 and state.x.shape == (0,)
    state.append(2, x=np.array([8, 9]))
    np.testing.assert_array_equal(state.x, [8, 9])


@settings(max_examples=100, deadline=None)
@given(n=st.integers(0, 200), seed=st.integers(0, 2**32 - 1), share=st.floats(0.0, 1.0))
def test_property_agents_copied_out_compacted_away_and_inserted_back_by_uid_restore_the_state(n, seed, share):
    """``compact`` removes exactly the rows not kept, the others keeping their order; the removed rows, copied out
    first with ``copy_rows`` and inserted back before ``searchsorted`` of their uids, restore every column."""
    state = AgentState(SCHEMA, capacity=8)
    uid = np.arange(n, dtype=np.int64) * 3
    state.append(n, uid=uid, place=(uid % 13).astype(np.int32), wealth=uid * 0.5, alive=uid % 2 == 0)
    before = {name: getattr(state, name).copy() for name in SCHEMA}
    moving = np.random.default_rng(seed).random(n) < share
    taken = state.copy_rows(np.flatnonzero(moving))
    state.compact(~moving)
    for name in SCHEMA:
        np.testing.assert_array_equal(taken[name], before[name][moving])
        np.testing.assert_array_equal(getattr(state, name), before[name][~moving])
    state.insert(np.searchsorted(state.uid, taken["uid"]), taken)
    for name in SCHEMA:
        np.testing.assert_array_equal(getattr(state, name), before[name])


@settings(max_examples=100, deadline=None)
@given(days=st.lists(st.lists(st.integers(0, 30), max_size=40), min_size=1, max_size=8), seed=st.integers(0, 2**32 - 1))
def test_property_a_pool_kept_in_order_gives_up_its_first_due_agents_as_its_last_rows(days, seed):
    """A pool ordered by a due day (latest first: ``reorder``), newcomers inserted in that order each round, gives up
    exactly the agents due on each day as ``take_last`` of its rows, whatever it held, and every column with them."""
    pool = AgentState(SCHEMA, capacity=4)
    reference: dict[int, int] = {}  # uid -> due day
    next_uid, today = 0, 0
    for batch in days:
        due = np.array(batch, np.int32) + today
        uid = np.arange(next_uid, next_uid + due.size, dtype=np.int64)
        next_uid += due.size
        reference.update(zip(uid.tolist(), due.tolist(), strict=True))
        order = np.argsort(-due, kind="stable")
        newcomers = {"uid": uid[order], "place": due[order], "wealth": uid[order] * 0.5, "alive": np.ones(due.size)}
        pool.insert(np.searchsorted(-pool.place, -newcomers["place"]), newcomers)
        if seed % 2:  # the same order made by sorting the whole pool
            pool.reorder(np.argsort(-pool.place, kind="stable"))
        for _ in range(np.random.default_rng(seed + today).integers(1, 10)):
            count = int(np.sum(pool.place <= today))
            taken = pool.take_last(count)
            assert sorted(taken["uid"].tolist()) == sorted(u for u, d in reference.items() if d <= today)
            np.testing.assert_array_equal(taken["wealth"], taken["uid"] * 0.5)
            for u in taken["uid"].tolist():
                del reference[u]
            today += 1
    assert sorted(pool.uid.tolist()) == sorted(reference)
    assert np.all(np.diff(pool.place) <= 0)


# ------------------------------------------------------------------ run_days


class _Recorder:
    def __init__(self, name: str, log: list, cost: float = 0.0, clock: list | None = None):
        self.name, self.log, self.cost, self.clock = name, log, cost, clock

    def apply(self, sim, day: int) -> None:
        self.log.append((self.name, day, sim))
        if self.clock is not None:
            self.clock[0] += self.cost


def test_run_days_calls_phases_in_order_each_day_then_on_day():
    log: list = []
    sim = object()
    phases = [_Recorder("arrive", log), _Recorder("move", log), _Recorder("count", log)]
    run_days(sim, phases, 3, on_day=lambda day: log.append(("on_day", day, sim)))
    expected = []
    for day in range(3):
        expected += [(name, day, sim) for name in ("arrive", "move", "count", "on_day")]
    assert log == expected
    assert plan(phases) == ["arrive", "move", "count"]


def test_run_days_zero_days_calls_nothing():
    log: list = []
    seconds = run_days(None, [_Recorder("move", log)], 0)
    assert log == [] and seconds == {"move": 0.0}


def test_run_days_times_each_phase(monkeypatch):
    """A fake clock that each phase advances by its own cost: the totals are exact."""
    clock = [100.0]
    monkeypatch.setattr(loop.time, "perf_counter", lambda: clock[0])
    log: list = []
    phases = [_Recorder("cheap", log, 0.25, clock), _Recorder("dear", log, 2.0, clock)]
    seconds = run_days(None, phases, 4, on_day=lambda day: clock.__setitem__(0, clock[0] + 50.0))
    assert list(seconds) == ["cheap", "dear"]
    assert seconds == {"cheap": pytest.approx(1.0), "dear": pytest.approx(8.0)}  # on_day not counted


def test_run_days_times_with_the_real_clock():
    class Sleeper:
        name = "sleep"

        def apply(self, sim, day):
            time.sleep(0.01)

    class Noop:
        name = "noop"

        def apply(self, sim, day):
            pass

    seconds = run_days(None, [Noop(), Sleeper()], 3)
    assert seconds["sleep"] >= 0.03
    assert seconds["noop"] < seconds["sleep"]


def test_compact_refuses_flags_of_another_length_and_takes_a_view_of_a_column_as_it_was():
    state = AgentState({"x": np.int32, "alive": np.bool_}, capacity=8)
    state.append(6, x=np.arange(6), alive=np.array([1, 0, 1, 1, 0, 1], bool))
    with pytest.raises(ValueError, match="one flag per live agent"):
        state.compact(np.ones(3, bool))
    assert state.n == 6
    state.compact(state.alive)  # a view of a column that the compaction itself rewrites
    np.testing.assert_array_equal(state.x, [0, 2, 3, 5])
    assert state.alive.all()
