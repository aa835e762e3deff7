"""The Dask backend every fitting command runs its simulations on: a local cluster of worker
processes (one simulation per single-threaded worker, so runs never share a GIL), or an
existing scheduler for runs spread over several machines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client on ``scheduler`` (an address such as ``tcp://host:8786``) or on a new local cluster
    of ``workers`` processes, closed on exit."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def slots(client: Client) -> int:
    """How many simulations the cluster runs at once."""
    return max(1, sum(client.nthreads().values()))
