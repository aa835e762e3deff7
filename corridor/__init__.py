"""corridor: an agent-based simulator of migration corridors and the policies that govern them.

The public entry point is :func:`corridor.simulate`, a pure function
``simulate(scenario, seed=None, overrides=None) -> xarray.Dataset``; the command line,
reports, calibration and ensembles are thin layers over it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("corridor")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "unknown"


def __getattr__(name):
    # imported lazily so that `import corridor.engine.rng` does not pull in the whole model
    if name == "simulate":
        from corridor.runner import simulate

        return simulate
    raise AttributeError(name)


__all__ = ["__version__", "simulate"]
