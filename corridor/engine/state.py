"""Agent state as a struct of numpy arrays (one array per attribute), never one object per agent.

Only the first ``n`` rows are live. New agents are appended into spare capacity (grown
geometrically); agents that left the simulation (settled, dead, gone home) are compacted away
so the cost of every kernel follows the active population.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np
from numpy.typing import DTypeLike

Columns = TypeVar("Columns")


class AgentState:
    """Columns of agent attributes sharing one length ``n``."""

    def __init__(self, schema: Mapping[str, DTypeLike], capacity: int = 1024):
        self.schema = {name: np.dtype(dtype) for name, dtype in schema.items()}
        self.n = 0
        self._columns = {name: np.zeros(capacity, dtype) for name, dtype in self.schema.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("_columns")
        if columns is None or name not in columns:
            raise AttributeError(name)
        return columns[name][: self.n]

    def columns(self, kind: type[Columns]) -> Columns:
        """The live columns as ``kind``, a NamedTuple whose fields are column names, so a numba kernel
        takes one argument and reads ``agents.status[i]`` by name instead of a run of positional arrays."""
        fields: Any = kind
        return kind(**{name: self._columns[name][: self.n] for name in fields._fields})

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
        """Keep only the live agents where ``keep`` is true, preserving their order."""
        kept = int(keep.sum())
        for column in self._columns.values():
            column[:kept] = column[: self.n][keep]
        self.n = kept

    def _grow(self, needed: int) -> None:
        capacity = max(needed, int(self.capacity * 1.5) + 1024)
        for name, column in self._columns.items():
            grown = np.zeros(capacity, column.dtype)
            grown[: self.n] = column[: self.n]
            self._columns[name] = grown
