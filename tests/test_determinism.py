"""Same scenario + same seed = identical results; the random streams depend on no thread count."""

from __future__ import annotations

import os
import subprocess
import sys

import xarray as xr

from corridor import simulate
from corridor.results.dataset import load, save


def test_two_runs_with_the_same_seed_are_identical(fy2022):
    xr.testing.assert_identical(simulate(fy2022, seed=5), simulate(fy2022, seed=5))


def test_another_seed_gives_another_run(fy2022):
    assert not simulate(fy2022, seed=5).encounters.equals(simulate(fy2022, seed=6).encounters)


def test_results_survive_a_save_and_load(fy2022, tmp_path):
    ds = simulate(fy2022, seed=5)
    xr.testing.assert_identical(load(save(ds, tmp_path / "r.nc")).drop_attrs(), ds.drop_attrs())


def test_thread_count_does_not_change_results(fy2022, tmp_path):
    """Run in fresh interpreters with 1 and 2 numba threads; compare the saved Datasets."""
    paths = []
    for threads in ("1", "2"):
        path = tmp_path / f"threads{threads}.nc"
        code = (
            "from corridor import simulate; from corridor.results.dataset import save; "
            f"save(simulate({str(fy2022)!r}, seed=5), {str(path)!r})"
        )
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "NUMBA_NUM_THREADS": threads})
        paths.append(path)
    xr.testing.assert_identical(load(paths[0]).drop_attrs(), load(paths[1]).drop_attrs())
