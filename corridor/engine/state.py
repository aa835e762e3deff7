"""Agent state as a struct of numpy arrays (one array per attribute), never one object per agent.

Only the first ``n`` rows are live. New agents are appended into spare capacity (grown
geometrically); agents that left the simulation (settled, dead, gone home) are compacted away
so the cost of every kernel follows the active population. A model may hold agents that wait a long
time for one decision (people at home) in a second ``AgentState`` and move them with :meth:`copy_rows` and
:meth:`compact`, :meth:`take_last` and :meth:`insert`, so the kernels of every other phase never pass over them;
kept in the order of the day each one's wait ends (:meth:`reorder`), such a pool gives up each day's agents as its
last rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np
from numba import literal_unroll, njit
from numpy.typing import DTypeLike

Columns = TypeVar("Columns")


class AgentState:
    """Columns of agent attributes sharing one length ``n``."""

    def __init__(self, schema: Mapping[str, DTypeLike], capacity: int = 1024):
        self.schema = {name: np.dtype(dtype) for name, dtype in schema.items()}
        self.n = 0
        self._columns = {name: np.zeros(capacity, dtype) for name, dtype in self.schema.items()}
        self._views: dict[type, tuple[int, Any]] = {}  # per kind: (n, its columns), until n or the arrays change

    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("_columns")
        if columns is None or name not in columns:
            raise AttributeError(name)
        return columns[name][: self.n]

    def columns(self, kind: type[Columns]) -> Columns:
        """The live columns as ``kind``, a NamedTuple whose fields are column names, so a numba kernel
        takes one argument and reads ``agents.status[i]`` by name instead of a run of positional arrays."""
        n, view = self._views.get(kind, (-1, None))
        if n != self.n:
            fields: Any = kind
            view = kind(**{name: self._columns[name][: self.n] for name in fields._fields})
            self._views[kind] = (self.n, view)
        return view

    @property
    def capacity(self) -> int:
        return next(iter(self._columns.values())).shape[0]

    def append(self, count: int, **values) -> slice:
        """Add ``count`` agents; ``values`` gives scalars or arrays per column (others zero)."""
        unknown = set(values) - set(self.schema)
        if unknown:
            raise KeyError(f"unknown agent attributes: {sorted(unknown)}")
        if self.n + count > self.capacity:
            self._grow(self.n + count)
        rows = slice(self.n, self.n + count)
        for name, column in self._columns.items():
            column[rows] = values.get(name, 0)
        self.n += count
        return rows

    def compact(self, keep: np.ndarray) -> None:
        """Keep only the live agents where ``keep`` is true, preserving their order (in place: no column is copied).
        ``keep`` is copied first, so it may be a view of a column the compaction rewrites."""
        keep = np.array(keep, dtype=np.bool_)
        if keep.shape != (self.n,):
            raise ValueError(f"keep has shape {keep.shape}, expected ({self.n},): one flag per live agent")
        _keep_rows(tuple(self._columns.values()), self.n, keep)
        self.n = int(keep.sum())

    def copy_rows(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Every column's values at ``rows`` (copies): agents about to move to another state, before ``compact``."""
        return {name: column[rows] for name, column in self._columns.items()}

    def take_last(self, count: int) -> dict[str, np.ndarray]:
        """Remove the last ``count`` agents and return their values (copies): the cost follows ``count``, not ``n``."""
        rows = slice(self.n - count, self.n)
        taken = {name: column[rows].copy() for name, column in self._columns.items()}
        self.n -= count
        return taken

    def reorder(self, order: np.ndarray) -> None:
        """Put the live agents in the order of ``order``, a permutation of their rows (``np.argsort`` of a key)."""
        for column in self._columns.values():
            column[: self.n] = column[: self.n][order]

    def insert(self, before: np.ndarray, values: Mapping[str, np.ndarray]) -> None:
        """Insert agents with every column's ``values`` before the live rows ``before`` (ascending; as ``np.insert``),
        so that rows kept in some order stay in it: ``before = np.searchsorted(state.id, values["id"])``."""
        count = before.shape[0]
        if self.n + count > self.capacity:
            self._grow(self.n + count)
        pairs = tuple((column, np.asarray(values[name], column.dtype)) for name, column in self._columns.items())
        _open_gaps(pairs, self.n, before)
        self.n += count

    def _grow(self, needed: int) -> None:
        capacity = max(needed, int(self.capacity * 1.5) + 1024)
        for name, column in self._columns.items():
            grown = np.zeros(capacity, column.dtype)
            grown[: self.n] = column[: self.n]
            self._columns[name] = grown
        self._views.clear()


# In place, one call for every column (a tuple of them, unrolled by numba): numpy's ``np.insert`` and boolean
# indexing would allocate and copy every column, and a call per column costs more than the few rows a day moves
# between two states.
@njit(cache=True)
def _keep_rows(columns, n, keep):
    """Move the rows of the first ``n`` entries where ``keep`` is true to the front of each column, in order."""
    for column in literal_unroll(columns):
        kept = 0
        for i in range(n):
            if keep[i]:
                column[kept] = column[i]
                kept += 1


@njit(cache=True)
def _open_gaps(pairs, n, before):
    """For each (column, values): insert ``values[j]`` before entry ``before[j]`` (ascending) of the first ``n``
    entries of the column, whose capacity holds them all; blocks move right from the back, so none is overwritten
    before it moves. Each block is copied through two views indexed from 0, a loop the compiler vectorises
    (indexing the column itself with computed offsets is ten times slower)."""
    for pair in literal_unroll(pairs):
        column, values = pair
        end = n
        for j in range(before.shape[0] - 1, -1, -1):
            source = column[before[j] : end]  # the block after the j-th insertion moves right by j + 1
            target = column[before[j] + j + 1 : end + j + 1]
            for k in range(source.shape[0] - 1, -1, -1):
                target[k] = source[k]
            column[before[j] + j] = values[j]
            end = before[j]
