"""The Dask backend every fitting command runs its simulations on: a local cluster of worker
processes (one simulation per single-threaded worker, so runs never share a GIL, and without
distributed's statistical profiler, which cost about 6% of a run: ``benchmarks/dask_workers.py``), or an
existing scheduler for runs spread over several machines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dask
from distributed import Client, LocalCluster


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client on ``scheduler`` (an address such as ``tcp://host:8786``) or on a new local cluster
    of ``workers`` processes, closed on exit."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with dask.config.set({"distributed.worker.profile.enabled": False}):  # its stack walks every 10 ms slow the runs
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    with cluster, Client(cluster) as client:
        yield client


def slots(client: Client) -> int:
    """How many simulations the cluster runs at once."""
    return max(1, sum(client.nthreads().values()))
