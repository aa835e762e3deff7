"""The articles' counterfactuals as data, answered with paired seeds.

A scenario folder's ``counterfactuals.yaml`` declares each counterfactual: the question it answers,
the dated events it removes (by id, see :func:`event_ids`), the events it adds to the policy timeline
or the bilateral record, the levers it sets, whether it runs with the bargain (``mexico.bargain``) when
that differs from the scenario, the window its effect is measured over, and its sources. Each
counterfactual is written out as a scenario folder of its own (so it can be inspected and run with
``corridor run``), and run with the same seeds as the scenario (both with the bargain on or off as it
asks); the spread of the paired differences is the seed noise the effect must stand out from.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
import xarray as xr
import yaml
from distributed import Client, as_completed
from pydantic import Field, model_validator

from corridor.fit.ensemble import run_member
from corridor.levers import Overrides
from corridor.models.us_mexico.bilateral_record import BilateralEventRow, read_record
from corridor.report.monthly import monthly, summed_to
from corridor.runner import assemble
from corridor.scenario.errors import ScenarioError
from corridor.scenario.files import read_yaml
from corridor.scenario.load import Scenario, _validate, load_scenario
from corridor.scenario.schema import PolicyEvent, Strict

DECLARATIONS = "counterfactuals.yaml"
# monthly outputs a counterfactual reports or an event study plots: name -> (label, how a window sums it)
Output = Literal["swb_encounters", "mx_apprehensions", "mexico_effort", "title8_share"]
OUTPUTS: dict[str, tuple[str, str]] = {
    "swb_encounters": ("US southwest-border encounters", "sum"),
    "mx_apprehensions": ("Mexico's apprehensions", "sum"),
    "mexico_effort": ("Mexico's enforcement effort (index)", "mean"),
    "title8_share": ("Title 8 share of US encounters", "mean"),
}
TABLE_OUTPUTS = ("swb_encounters", "mx_apprehensions", "mexico_effort")


class Window(Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) must not come before start ({self.start})")
        return self


class EventStudy(Window):
    """The span of an event-study figure and the outputs it plots."""

    outputs: list[Output] = Field(min_length=1)


class Counterfactual(Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$", description="short name, also the folder it is written to")
    question: str = Field(min_length=1, description="the question it answers, in one line")
    bargain: bool | None = Field(
        None,
        description="run it, and the baseline it is compared with, with mexico.bargain on (true) or off (false); "
        "unset: as the scenario runs",
    )
    remove: list[str] = Field(default_factory=list, description="ids of events to remove (event_ids)")
    add_policies: list[PolicyEvent] = Field(default_factory=list)
    add_record: list[BilateralEventRow] = Field(default_factory=list)
    levers: dict[str, float | dict[str, float]] = Field(default_factory=dict, alias="set")
    window: Window = Field(description="the months its effect is measured over")
    event_study: EventStudy | None = None
    sources: list[str] = Field(min_length=1)


class Declarations(Strict):
    counterfactuals: list[Counterfactual] = Field(min_length=1)


def event_ids(scenario: Scenario) -> set[str]:
    """Ids of the scenario's dated events: ``policies:DATE:LEVER`` and ``record:DATE:CHANNEL``. An id
    names every event of its file, date and lever or channel (a rule that sets one lever for several
    groups on one day is one id); ids need no column in the files and stay put when events are added."""
    ids = {f"policies:{event.date}:{event.lever}" for event in scenario.policies}
    if scenario.config.bilateral_record:
        ids |= {f"record:{row.date}:{row.channel}" for row in _record(scenario).events}
    return ids


def _record(scenario: Scenario):
    assert scenario.config.bilateral_record is not None
    return read_record(scenario.folder / scenario.config.bilateral_record)


def read_declarations(scenario: Scenario, path: Path | None = None) -> list[Counterfactual]:
    """The scenario's counterfactuals, every id and lever checked against it: a mistake is one located
    ScenarioError before anything runs."""
    path = Path(path) if path is not None else scenario.folder / DECLARATIONS
    if not path.exists():
        raise ScenarioError(path, "no counterfactuals declared", expected=f"a {DECLARATIONS} (docs/bilateral.md)")
    declared = _validate(Declarations, read_yaml(path), path).counterfactuals
    known = event_ids(scenario)
    params = assemble(scenario).run.params
    names = set()
    for number, counterfactual in enumerate(declared):
        key = f"counterfactuals[{number}]"
        if counterfactual.name in names:
            raise ScenarioError(path, "two counterfactuals share a name", key=f"{key}.name", found=counterfactual.name)
        names.add(counterfactual.name)
        for item, event_id in enumerate(counterfactual.remove):
            if event_id not in known:
                close = difflib.get_close_matches(event_id, sorted(known), n=3, cutoff=0.6)
                raise ScenarioError(
                    path,
                    "unknown event id",
                    key=f"{key}.remove[{item}]",
                    found=event_id,
                    expected=("did you mean " + " or ".join(close) + "?")
                    if close
                    else "policies:DATE:LEVER or record:DATE:CHANNEL of an event in the scenario",
                )
        if counterfactual.add_record and not scenario.config.bilateral_record:
            raise ScenarioError(path, "the scenario names no bilateral record to add to", key=f"{key}.add_record")
        params.copy().apply_overrides(counterfactual.levers, path, key_prefix=f"{key}.set.")
        for item, event in enumerate(counterfactual.add_policies):
            event_key = f"{key}.add_policies[{item}]"
            params.position(event.lever, event.where, path, f"{event_key}.lever")
            params.check_value(event.lever, event.value, path, f"{event_key}.value")
        if counterfactual.add_policies and not scenario.config.policies:
            raise ScenarioError(path, "the scenario has no policies file to add to", key=f"{key}.add_policies")
    return declared


def write_scenario(scenario: Scenario, counterfactual: Counterfactual, folder: Path) -> Path:
    """The scenario with the counterfactual's events removed and added, as a folder (``folder`` is
    replaced). Levers it sets are not written: they are applied as overrides when it runs."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(scenario.folder, folder)
    removed = set(counterfactual.remove)
    config = scenario.config
    if config.policies:
        path = folder / config.policies
        events = [
            event
            for event in read_yaml(path)["events"]
            if f"policies:{dt.date.fromisoformat(str(event['date']))}:{event['lever']}" not in removed
        ]
        events += [event.model_dump(mode="json", exclude_defaults=True) for event in counterfactual.add_policies]
        header = f"# {scenario.folder / config.policies} for the counterfactual {counterfactual.name}\n"
        path.write_text(header + yaml.safe_dump({"events": events}, sort_keys=False, allow_unicode=True))
    if config.bilateral_record:
        path = folder / config.bilateral_record
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        columns = list(BilateralEventRow.model_fields)
        rows = [row for row in rows if f"record:{row['date']}:{row['channel']}" not in removed]
        rows += [row.model_dump(mode="json") for row in counterfactual.add_record]
        rows.sort(key=lambda row: str(row["date"]))  # stable: events of one day keep their order
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def monthly_outputs(ds: xr.Dataset) -> xr.Dataset:
    """The outputs of :data:`OUTPUTS` per month over the whole run (warm-up included: the 2019 tariff
    episode lies in it). Applied to each run where it ran."""
    encounters = ds["encounters"]
    daily = xr.Dataset(
        {
            "swb_encounters": summed_to(encounters),
            "title8_encounters": summed_to(encounters.sel(authority="title8")),
            "mx_apprehensions": summed_to(ds["mx_apprehensions"]),
            "mexico_effort": ds["mexico_effort"],
        }
    )
    months = monthly(daily)
    months["title8_share"] = months["title8_encounters"] / months["swb_encounters"].where(months["swb_encounters"] > 0)
    return months.drop_vars("title8_encounters")


@dataclass(frozen=True)
class Plan:
    """Who runs: the baselines (the scenario, and with the bargain turned on or off where a counterfactual
    asks) and each counterfactual that falls inside the scenario's period; ``skipped`` says why the others
    do not run."""

    runs: dict[str, tuple[Scenario, Overrides]]
    compared_with: dict[str, str]  # counterfactual -> baseline run name
    windows: dict[str, tuple[dt.date, dt.date]]  # counterfactual -> window inside the scenario's period
    skipped: dict[str, str]
    bargain: dict[str, bool]  # counterfactual -> whether it runs with the bargain


def runs_the_bargain(scenario: Scenario) -> bool:
    """Whether the scenario's parameters turn the bargain on (``mexico.bargain: 1`` in scenario.yaml)."""
    value = scenario.config.parameters.get("mexico.bargain", 0.0)
    return isinstance(value, float | int) and value >= 0.5


def plan(scenario: Scenario, declared: Sequence[Counterfactual], folder: Path, only: Sequence[str] = ()) -> Plan:
    """Write each counterfactual that runs under ``folder`` and pair it with its baseline."""
    unknown = [name for name in only if name not in {c.name for c in declared}]
    if unknown:
        raise ScenarioError(
            "--only", "unknown counterfactual", found=unknown[0], expected=", ".join(c.name for c in declared)
        )
    runs: dict[str, tuple[Scenario, Overrides]] = {}
    compared_with, windows, skipped, bargain = {}, {}, {}, {}
    start, end = scenario.config.start, scenario.config.end
    as_scenario = runs_the_bargain(scenario)
    for counterfactual in declared:
        if only and counterfactual.name not in only:
            continue
        on = as_scenario if counterfactual.bargain is None else counterfactual.bargain
        bargain[counterfactual.name] = on
        window = counterfactual.window
        if window.start > end or window.end < start:
            skipped[counterfactual.name] = (
                f"its window {window.start}..{window.end} lies outside the scenario's period {start}..{end}"
            )
            continue
        turned: Overrides = {} if on == as_scenario else {"mexico.bargain": int(on)}
        # no counterfactual's name has spaces
        baseline = "the scenario" if not turned else f"the scenario with the bargain {'on' if on else 'off'}"
        runs.setdefault(baseline, (scenario, turned))
        written = load_scenario(write_scenario(scenario, counterfactual, folder / counterfactual.name))
        overrides = {**turned, **counterfactual.levers}
        runs[counterfactual.name] = (written, overrides)
        compared_with[counterfactual.name] = baseline
        windows[counterfactual.name] = (max(window.start, start), min(window.end, end))
    return Plan(runs, compared_with, windows, skipped, bargain)


def run_paired(
    runs: Mapping[str, tuple[Scenario, Overrides]],
    seeds: Sequence[int],
    client: Client | None = None,
    scale: float | None = None,
    on_done: Callable[[], None] | None = None,
) -> dict[str, xr.Dataset]:
    """Every run with every seed (on ``client``'s workers, or here one after another), monthly outputs
    stacked along ``seed``; ``on_done`` is called as each simulation finishes."""
    jobs = [(name, seed) for name in runs for seed in seeds]
    done: dict[tuple[str, int], xr.Dataset] = {}
    if client is None:
        for name, seed in jobs:
            scenario, overrides = runs[name]
            done[name, seed] = run_member(scenario, seed, overrides or None, scale, monthly_outputs)
            if on_done:
                on_done()
    else:
        shared = {name: client.scatter(scenario, broadcast=True, hash=False) for name, (scenario, _) in runs.items()}
        futures = {}
        for name, seed in jobs:
            future = client.submit(
                run_member, shared[name], seed, runs[name][1] or None, scale, monthly_outputs, pure=False
            )
            futures[future] = (name, seed)
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            if on_done:
                on_done()
    return {
        name: xr.concat([done[name, seed] for seed in seeds], dim=pd.Index(list(seeds), name="seed")) for name in runs
    }


def window_values(months: xr.Dataset, output: str, window: tuple[dt.date, dt.date]) -> xr.DataArray:
    """Each seed's ``output`` over the months that ``window`` touches: summed flows, averaged indices."""
    first = pd.Timestamp(window[0]).to_period("M").to_timestamp()
    selected = months[output].sel(time=slice(first, pd.Timestamp(window[1])))
    return selected.sum("time") if OUTPUTS[output][1] == "sum" else selected.mean("time")


@dataclass(frozen=True)
class Effect:
    """The paired change (counterfactual − scenario) of one output over a window, across seeds."""

    median: float
    low: float  # 5% quantile
    high: float  # 95% quantile
    baseline: float  # median over seeds of the scenario's value

    @property
    def clear(self) -> bool:
        """Whether the 90% band of the paired change excludes zero."""
        return self.low > 0 or self.high < 0

    @property
    def percent(self) -> float:
        return 100 * self.median / self.baseline if self.baseline else float("nan")


def effects(results: Mapping[str, xr.Dataset], the_plan: Plan) -> dict[str, dict[str, Effect]]:
    """Per counterfactual that ran, the effect on each output of :data:`TABLE_OUTPUTS` over its window."""
    answered: dict[str, dict[str, Effect]] = {}
    for name, baseline in the_plan.compared_with.items():
        window = the_plan.windows[name]
        answered[name] = {}
        for output in TABLE_OUTPUTS:
            base = window_values(results[baseline], output, window)
            change = window_values(results[name], output, window) - base
            answered[name][output] = Effect(
                float(change.median()),
                float(change.quantile(0.05)),
                float(change.quantile(0.95)),
                float(base.median()),
            )
    return answered


def _format(effect: Effect, output: str) -> str:
    if OUTPUTS[output][1] == "mean":
        return f"{effect.median:+.2f} [{effect.low:+.2f}, {effect.high:+.2f}]"
    return f"{effect.median:+,.0f} [{effect.low:+,.0f}, {effect.high:+,.0f}] ({effect.percent:+.1f}%)"


def answer_table(declared: Sequence[Counterfactual], the_plan: Plan, answered: Mapping) -> pd.DataFrame:
    """One row per counterfactual: its question, window, whether the bargain is on, the median change of
    each output with its 90% band across seed pairs, and what the band says (or why it was skipped)."""
    rows = []
    for counterfactual in declared:
        name = counterfactual.name
        if name not in answered and name not in the_plan.skipped:
            continue
        row = {"counterfactual": name, "question": counterfactual.question}
        on = the_plan.bargain[name]
        row["bargain"] = "on" if on else "off"
        window = (counterfactual.window.start, counterfactual.window.end)
        row["window"] = f"{window[0]:%b %Y}..{window[1]:%b %Y}"
        row.update({OUTPUTS[output][0]: "" for output in TABLE_OUTPUTS})
        if name in the_plan.skipped:
            row["note"] = "skipped: " + the_plan.skipped[name]
            rows.append(row)
            continue
        start, end = the_plan.windows[name]
        row["window"] = f"{start:%b %Y}..{end:%b %Y}"
        # with the bargain off, Mexico's effort is the policy timeline's, the same in both runs
        measured = [output for output in TABLE_OUTPUTS if on or output != "mexico_effort"]
        row.update({OUTPUTS[output][0]: _format(answered[name][output], output) for output in measured})
        if not on:
            row[OUTPUTS["mexico_effort"][0]] = "timeline (bargain off)"
        noise = [OUTPUTS[output][0] for output in measured if not answered[name][output].clear]
        row["note"] = ("within seed noise: " + "; ".join(noise)) if noise else "every change beyond seed noise"
        rows.append(row)
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """The table as GitHub Markdown (for the README)."""
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += [
        "| " + " | ".join(str(value).replace("|", "\\|") for value in row) + " |" for row in table.itertuples(False)
    ]
    return "\n".join(lines) + "\n"
