"""What-if runs for the workbench: the scenario's baseline members are run once on the Dask
backend when the server starts; each what-if runs the same seeds with the user's lever settings
(paired seeds, so the difference has narrow bands), in the background, and reports its progress. A
first result is shown once two seeds have both their runs (the first round of runs on two workers)
and refined as the other seeds finish, so the answer comes after one run's time, not all of them."""

from __future__ import annotations

import math
import operator
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from distributed import Client, Future, as_completed

from corridor.fit.compare import KEY_OUTPUTS, key_outputs, paired, period_totals
from corridor.fit.ensemble import member_seeds, run_member
from corridor.levers import Overrides
from corridor.observed import sw_border_total
from corridor.report.monthly import monthly
from corridor.report.style import readable
from corridor.runner import Assembled, assemble, simulate
from corridor.scenario.errors import ScenarioError
from corridor.settings import parse_sets

MAP_DIMS = ("route", "place", "border_city")  # outputs over these are drawn on the map
OBSERVED = {"swb_encounters": sw_border_total}  # headline outputs with an observed monthly series
MINUS = "\N{MINUS SIGN}"
FIRST_RESULT_SEEDS = 2  # paired seeds before a first result: the fewest a band can be drawn from


def period_unit(da: xr.DataArray) -> str:
    """What a total over the period counts: a flow's people, or a stock's people on an average day."""
    return "people" if da.attrs.get("cell_methods") == "time: sum" else "people on an average day"


def map_layers(ds: xr.Dataset) -> dict:
    """Monthly values of every output over routes, places or border cities, for the map's slider
    (flows summed over each month, stocks averaged)."""
    drawn = [name for name, da in ds.data_vars.items() if len(da.dims) == 2 and da.dims[1] in MAP_DIMS]
    months = monthly(ds[drawn])
    layers = {}
    for name in drawn:
        da = months[name]
        dim = da.dims[1]
        layers[name] = {
            "dim": dim,
            "label": readable(da.attrs.get("long_name", name)),
            "units": da.attrs.get("units", ""),
            "kind": "flow" if da.attrs.get("cell_methods") == "time: sum" else "stock",
            "values": {str(key): np.round(da.sel({dim: key}).values, 1).tolist() for key in da[dim].values},
        }
    return {
        "months": [f"{month:%Y-%m}" for month in months.indexes["time"]],
        "report_start": ds.attrs.get("report_start"),
        "layers": layers,
    }


def first_baseline_member(scenario, seed: int, scale: float | None) -> tuple[xr.Dataset, dict]:
    """The first baseline member's key outputs and, from the same run, the map's layers."""
    ds = simulate(scenario, seed=seed, scale=scale)
    return key_outputs(ds), map_layers(ds)


@dataclass
class Job:
    """One what-if: its settings, progress and, when done, the paired comparison."""

    sets: list[str]
    overrides: Overrides
    total: int
    done: int = 0
    status: str = "running"
    error: str | None = None
    comparison: xr.Dataset | None = None
    result: dict | None = field(default=None)

    def overrides_yaml(self) -> str:
        """The what-if as a scenario's ``parameters:`` block (what ``corridor run --set`` would set)."""
        return yaml.safe_dump({"parameters": _plain(self.overrides)}, sort_keys=False, allow_unicode=True)


def _plain(overrides: Overrides) -> dict:
    return {name: dict(value) if isinstance(value, dict) else value for name, value in overrides.items()}


class Workbench:
    """The scenario the server holds, its baseline members (run once) and the what-if jobs."""

    def __init__(self, scenario: str | Path, client: Client, scale: float | None, members: int):
        self.assembled: Assembled = assemble(scenario, scale=scale)
        self.client, self.scale = client, scale
        self.seeds = member_seeds(self.assembled.scenario, members)
        self._shared = client.scatter(self.assembled.scenario, broadcast=True, hash=False)
        first = client.submit(first_baseline_member, self._shared, self.seeds[0], scale, pure=False)
        self.map_future = client.submit(operator.itemgetter(1), first)
        self.baseline = [client.submit(operator.itemgetter(0), first)]
        self.baseline += [self._member(seed, None) for seed in self.seeds[1:]]
        self.jobs: dict[str, Job] = {}

    def _member(self, seed: int, overrides: Overrides | None) -> Future:
        # reduced to the key outputs on the worker, so only monthly totals travel back
        return self.client.submit(run_member, self._shared, seed, overrides, self.scale, key_outputs, pure=False)

    def start(self, sets: list[str]) -> str:
        """Check the settings (a ScenarioError names the bad one) and start the what-if; its id."""
        overrides = parse_sets(sets)
        self.assembled.run.params.copy().apply_overrides(overrides, Path("lever settings"))
        futures = [self._member(seed, overrides) for seed in self.seeds]
        job_id = uuid.uuid4().hex[:12]
        self.jobs[job_id] = job = Job(sets, overrides, total=len(futures) + len(self.baseline))
        threading.Thread(target=self._finish, args=(job, futures), daemon=True).start()
        return job_id

    def _finish(self, job: Job, futures: list[Future]) -> None:
        """Count the runs as they finish; each time another seed has both its runs, once there are
        FIRST_RESULT_SEEDS of them, compare the seeds paired so far (the page shows it at once)."""
        side_of = {
            future: (side, member)
            for side, runs in ((0, self.baseline), (1, futures))
            for member, future in enumerate(runs)
        }
        finished: tuple[dict[int, xr.Dataset], dict[int, xr.Dataset]] = ({}, {})
        try:
            for future in as_completed(list(side_of)):
                side, member = side_of[future]
                finished[side][member] = future.result()
                job.done += 1
                members = sorted(finished[0].keys() & finished[1].keys())
                if member in members and len(members) >= min(FIRST_RESULT_SEEDS, len(self.seeds)):
                    a, b = (self._stacked([runs[m] for m in members], members) for runs in finished)
                    job.comparison = paired(a, b)
                    job.result = result_summary(job.comparison, job.sets) | {"final": len(members) == len(self.seeds)}
            job.status = "done"
        except ScenarioError as error:  # a setting only the run could refuse
            job.status, job.error = "error", error.message()
        except Exception as error:  # shown in the page; the server goes on serving
            job.status, job.error = "error", f"the run failed: {error}"

    def _stacked(self, runs: list[xr.Dataset], members: list[int]) -> xr.Dataset:
        stacked = xr.concat(runs, dim="ensemble", combine_attrs="drop_conflicts")
        return stacked.assign_coords(ensemble=members, seed=("ensemble", [self.seeds[m] for m in members]))


def _percent(value: float) -> str:
    return f"{value:+.0f}%".replace("-", MINUS)


def sentence(name: str, totals: xr.Dataset, period: str) -> str:
    """'US southwest-border encounters −12% (90% band −15% to −9%) over Oct 2019 to Sep 2023 (…)'."""
    a, b = totals[name].sel(side="a"), totals[name].sel(side="b")
    label = readable(totals[name].attrs.get("long_name", name.replace("_", " ")))
    base = f"baseline {float(a.median()):,.0f}, what-if {float(b.median()):,.0f} {period_unit(totals[name])}"
    if float(a.min()) <= 0:
        difference = (b - a).quantile([0.05, 0.5, 0.95], "ensemble").values
        low, middle, high = (f"{value:+,.0f}".replace("-", MINUS) for value in difference)
        return f"{label} {middle} (90% band {low} to {high}) over {period} ({base})."
    change = ((b - a) / a * 100).quantile([0.05, 0.5, 0.95], "ensemble").values
    low, middle, high = (_percent(value) for value in change)
    return f"{label} {middle} (90% band {low} to {high}) over {period} ({base})."


def result_summary(comparison: xr.Dataset, sets: list[str]) -> dict:
    """What the page draws: per headline output its monthly medians, difference bands and observed
    series, and one sentence over the reported period."""
    months = comparison.indexes["time"]
    period = f"{months[0]:%b %Y} to {months[-1]:%b %Y}"
    totals = period_totals(comparison)
    for name in KEY_OUTPUTS:
        totals[name].attrs = comparison[name].attrs
    outputs = []
    for name in KEY_OUTPUTS:
        da = comparison[name]
        difference = da.sel(side="b_minus_a")
        quantiles = difference.quantile([0.05, 0.25, 0.5, 0.75, 0.95], "ensemble").values.tolist()
        outputs.append(
            {
                "name": name,
                "label": readable(da.attrs.get("long_name", name)),
                "units": "people per month" if da.attrs.get("cell_methods") == "time: sum" else "people (monthly mean)",
                "baseline": da.sel(side="a").median("ensemble").values.tolist(),
                "whatif": da.sel(side="b").median("ensemble").values.tolist(),
                "difference": dict(zip(("q05", "q25", "median", "q75", "q95"), quantiles, strict=True)),
                "observed": _observed(name, months),
                "sentence": sentence(name, totals, period),
            }
        )
    return {
        "months": [f"{month:%Y-%m}" for month in months],
        "period": period,
        "members": int(comparison.sizes["ensemble"]),  # paired seeds so far
        "sets": sets,
        "outputs": outputs,
    }


def _observed(name: str, months: pd.Index) -> list[float | None] | None:
    if name not in OBSERVED:
        return None
    series = OBSERVED[name]().reindex(months)
    return [None if math.isnan(value) else float(value) for value in series.to_numpy(dtype=float)]
