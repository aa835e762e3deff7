"""Files shipped inside the package: the built-in scenarios and the observed data.

They live under ``corridor/scenarios/`` and ``corridor/data/`` so that a wheel carries them and
``corridor run`` works after ``pip install .`` from anywhere, not only from a source checkout.
Every other module finds them through this one.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

BUILTIN_SCENARIO = "us_mexico"


def _package_path(*parts: str) -> Path:
    """A real folder or file inside the installed package (pip installs unpacked, so it always is)."""
    resource = files("corridor").joinpath(*parts)
    if not isinstance(resource, Path):
        raise RuntimeError(f"corridor's package data must lie in a folder on disk, found {resource!r} (a zip import?)")
    return resource


def builtin_scenario(name: str = BUILTIN_SCENARIO) -> Path:
    """Folder of a scenario shipped with corridor (``corridor/scenarios/<name>``)."""
    return _package_path("scenarios", name)


def data_folder() -> Path:
    """Folder of the observed data shipped with corridor (``corridor/data``, described in its README.md)."""
    return _package_path("data")
