"""Directed graphs as compressed sparse rows: the out-links of place p are
``targets[offsets[p]:offsets[p+1]]`` with link ids ``link_ids[...]`` in the same slots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CSRGraph:
    offsets: np.ndarray  # int64, n_places + 1
    targets: np.ndarray  # int64, one per link slot
    link_ids: np.ndarray  # int64, index into the caller's per-link arrays

    @property
    def n_places(self) -> int:
        return self.offsets.shape[0] - 1


def csr_from_edges(n_places: int, sources: np.ndarray, targets: np.ndarray) -> CSRGraph:
    """Group edges by source place; link ids are the edges' row numbers."""
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    order = np.argsort(sources, kind="stable")
    counts = np.bincount(sources, minlength=n_places)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return CSRGraph(offsets=offsets, targets=targets[order], link_ids=order.astype(np.int64))
