"""The command line: thin commands over ``simulate`` and the report, fit and Flee layers.

User mistakes (a malformed scenario, an unknown lever) print one located message and exit 2.
"""

from __future__ import annotations

import functools
import json
import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridor.resources import builtin_scenario
from corridor.scenario.errors import ScenarioError, ScenarioWarning
from corridor.scenario.schema import MAX_SEED
from corridor.settings import parse_sets

app = typer.Typer(
    help="corridor: simulate migration corridors and the policies that govern them.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
DEFAULT_SCENARIO = builtin_scenario()


def _print_version(requested: bool) -> None:
    if requested:
        from corridor import __version__

        console.print(f"corridor {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="print corridor's version and exit"),
    ] = False,
):
    """corridor: simulate migration corridors and the policies that govern them."""


def user_errors(command):
    """Turn ScenarioError into one red line and exit code 2 (never a traceback), and print each
    ScenarioWarning as one yellow line."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", ScenarioWarning)
                warnings.showwarning = _show_warning
                return command(*args, **kwargs)
        except ScenarioError as error:
            console.print(f"[bold red]error:[/bold red] {escape(error.message())}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


_python_show_warning = warnings.showwarning


def _show_warning(message, category, *args, **kwargs):
    if issubclass(category, ScenarioWarning):
        console.print(f"[bold yellow]warning:[/bold yellow] {escape(str(message))}", highlight=False, soft_wrap=True)
    else:
        _python_show_warning(message, category, *args, **kwargs)


TARGET_HELP = (
    "series to fit, comma-separated, each with an optional :weight: total, bp, ofo, nationality,"
    " ports_nationality, sector, demographic, title, mexico, repeat, darien, or all (docs/fit.md)"
)


def _agents_per_person(value: float | None) -> float | None:
    """--scale, checked as scenario.yaml's scale is: 0 agents per person would print zeros."""
    if value is not None and not 0 < value <= 10:
        raise typer.BadParameter(
            f"{value} agents per person; expected more than 0 and at most 10 (0.1 = one agent per ten people)"
        )
    return value


# options shared by the commands that run many simulations on Dask
WorkersOption = Annotated[int, typer.Option(help="Dask LocalCluster workers", min=1)]
SchedulerOption = Annotated[str | None, typer.Option(help="address of an existing Dask scheduler")]
FitScaleOption = Annotated[
    float | None, typer.Option(help="agents per person during the fit", callback=_agents_per_person)
]
PriorsOption = Annotated[Path | None, typer.Option(help="priors file to fit (default: the scenario's priors.yaml)")]


ScenarioArg = Annotated[Path, typer.Argument(help="scenario folder (default: the built-in US–Mexico corridor)")]


@app.command()
@user_errors
def run(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the scenario's)", min=0, max=MAX_SEED)] = None,
    scale: Annotated[
        float | None, typer.Option(help="agents per person (default: the scenario's)", callback=_agents_per_person)
    ] = None,
    out: Annotated[Path, typer.Option(help="folder for results.nc and report.html")] = Path("results"),
    set_: Annotated[
        list[str], typer.Option("--set", help="override a lever: lever=value or lever\\[where]=value")
    ] = [],
    report: Annotated[bool, typer.Option(help="write the HTML report")] = True,
):
    """Simulate a scenario; print simulated vs observed encounters; write results and a report."""
    from corridor.results.dataset import save
    from corridor.runner import assemble

    assembled = assemble(scenario, seed=seed, overrides=parse_sets(set_) or None, scale=scale)
    days = assembled.run.n_days
    progress = _progress()
    task = progress.add_task(f"simulating {scenario.name}", total=days)

    def on_day(day: int) -> None:
        # the bar appears with the first simulated day, after the scenario and the settings passed every check
        if not progress.live.is_started:
            progress.start()
        progress.update(task, completed=day + 1)

    try:
        ds, stats = assembled.simulate(on_day=on_day)
        progress.update(task, completed=days or 1, total=days or 1)
    finally:
        if progress.live.is_started:
            progress.stop()
    out.mkdir(parents=True, exist_ok=True)
    save(ds, out / "results.nc")
    _REPORTS[assembled.model.ruleset](ds, out, report, assembled.scenario)
    console.print(
        "seconds per phase: " + ", ".join(f"{name} {value:.2f}" for name, value in stats["phase_seconds"].items())
    )
    console.print(f"results: [bold]{out / 'results.nc'}[/bold]")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days"),
        TimeElapsedColumn(),
        console=console,
    )


def _report_corridor(ds, out: Path, report: bool, scenario) -> None:
    from corridor.report import monthly
    from corridor.report.terminal import fiscal_year_table, mexico_table, monthly_encounters_table

    months = monthly(ds)  # once: every table and figure reads months, and resampling takes a second
    months = _with_posterior_band(months, scenario)
    console.print(monthly_encounters_table(months))
    for dimension in ("group", "sector", "demographic"):
        console.print(fiscal_year_table(months, dimension))
    console.print(mexico_table(months))
    if report:
        from corridor.report import write_report  # matplotlib: only for the report

        console.print(f"report: [bold]{write_report(months, out / 'report.html', scenario=scenario)}[/bold]")


def _with_posterior_band(months, scenario):
    """``months`` with the SW-border total's band over the scenario's own posterior, where one was fitted to this
    scenario and the run set no lever (the posterior describes the scenario as it is)."""
    from corridor.fit.posterior import posterior_band, scenario_posterior
    from corridor.results.forecast import POSTERIOR_BAND

    posterior, note = scenario_posterior(scenario)
    if note:
        console.print(f"no posterior band: {note}")
    if posterior is None:
        return months
    if json.loads(months.attrs.get("overrides", "{}")):
        console.print(f"no posterior band: levers were set, and {scenario.folder.name}'s posterior describes it as is")
        return months
    return months.assign({POSTERIOR_BAND: posterior_band(posterior).reindex(time=months["time"])})


def _report_flee(ds, out: Path, report: bool, flee) -> None:
    from corridor.models.flee.metric import validate
    from corridor.models.flee.report import write_validation_report

    errors = validate(ds)
    console.print(f"Flee validation error: normal {errors['normal']:.3f}, rescaled {errors['rescaled']:.3f}")
    if report:
        console.print(f"report: [bold]{write_validation_report(ds, out / 'report.html', flee, errors)}[/bold]")


_REPORTS = {"us_mexico": _report_corridor, "flee": _report_flee}  # what `run` prints, by the scenario's ruleset


@app.command()
@user_errors
def levers(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    grep: Annotated[
        str | None, typer.Option("--grep", help="only levers whose name, unit, meaning or source contains this")
    ] = None,
    mechanism: Annotated[str | None, typer.Option(help="only the levers of this phase (see corridor plan)")] = None,
):
    """List levers: name, unit, value at the scenario's start (per entry for indexed levers), its dated
    changes, and its source."""
    from collections import Counter, defaultdict

    from corridor.models import model_for_command
    from corridor.models.us_mexico.phases import Phase as LeverPhase
    from corridor.runner import assemble
    from corridor.scenario.load import load_scenario

    loaded = load_scenario(scenario)
    model_for_command("levers", loaded, scenario)
    run = assemble(loaded).run
    phases = [phase for phase in run.phases if isinstance(phase, LeverPhase)]  # the models with levers
    if mechanism is not None and mechanism not in {phase.name for phase in phases}:
        raise ScenarioError(
            "--mechanism", "no such mechanism", found=mechanism, expected=f"one of {[p.name for p in phases]}"
        )
    changes: dict[str, Counter] = defaultdict(Counter)  # lever -> file -> dated changes
    for located in loaded.timeline_events():
        changes[located.event.lever][located.file.name] += 1
    table = Table(title="Levers (set with --set lever=value, lever\\[where]=value, or policy events)")
    for column in ("phase", "lever", "unit", "index", "value at start", "dated changes", "source"):
        table.add_column(column, overflow="fold")
    for phase in phases:
        if mechanism is not None and phase.name != mechanism:
            continue
        for lever in phase.LEVERS:
            text = f"{lever.name} {lever.unit} {lever.doc} {lever.source}".lower()
            if grep is not None and grep.lower() not in text:
                continue
            values = run.params[lever.name]
            names = run.params.index_names[lever.index] if lever.index else []
            changed = ", ".join(f"{n} in {file}" for file, n in sorted(changes[lever.name].items()))
            row = (phase.name, lever.name, lever.unit, lever.index or "", _start_values(values, names), changed)
            table.add_row(*(escape(cell) for cell in (*row, lever.source)))
    console.print(table)


def _start_values(values, names: list[str]) -> str:
    """One value, or for an indexed lever each distinct value with the entries that hold it (a
    count where there are more than four)."""
    if values.size == 1 or (values == values[0]).all():
        return f"{values[0]:g}"
    holders: dict[float, list[str]] = {}
    for name, value in zip(names, values.tolist(), strict=True):
        holders.setdefault(value, []).append(name)
    return "; ".join(
        f"{value:g}: {', '.join(entries) if len(entries) <= 4 else f'{len(entries)} entries'}"
        for value, entries in holders.items()
    )


@app.command()
@user_errors
def plan(scenario: ScenarioArg = DEFAULT_SCENARIO):
    """Print the ordered phases of one simulated day."""
    from corridor.engine.loop import plan as phase_plan
    from corridor.runner import assemble

    for number, name in enumerate(phase_plan(assemble(scenario).run.phases), start=1):
        console.print(f"{number:2d}. {name}")


@app.command("import-flee")
@user_errors
def import_flee(
    folder: Annotated[Path, typer.Argument(help="a Flee input folder (input_csv/, source_data/, simsetting.yml)")],
    out: Annotated[
        Path | None, typer.Option(help="scenario folder to write (default: ./<folder name>_scenario)")
    ] = None,
    flee_rules: Annotated[
        str | None,
        typer.Option(help="Flee release whose rules the scenario follows: 3.1 (PyPI flee==3.1, default) or rules_md"),
    ] = None,
    force: Annotated[bool, typer.Option(help="replace the files of an existing --out folder")] = False,
):
    """Convert a Flee scenario folder into a corridor scenario."""
    from corridor.models.flee.cli_commands import cmd_import_flee

    cmd_import_flee(folder, out, flee_rules, force)


@app.command("validate-flee")
@user_errors
def validate_flee(
    folder: Annotated[Path, typer.Argument(help="a Flee folder or an imported flee scenario")],
    seeds: Annotated[int, typer.Option(help="number of seeds to average", min=1)] = 5,
    report: Annotated[Path | None, typer.Option(help="HTML report to write")] = None,
    flee_rules: Annotated[
        str | None, typer.Option(help="override the Flee release whose rules to follow: 3.1 or rules_md")
    ] = None,
):
    """Flee's validation error against UNHCR camp counts, per camp and overall."""
    from corridor.models.flee.cli_commands import cmd_validate_flee

    cmd_validate_flee(folder, seeds, report, flee_rules)


@app.command()
@user_errors
def calibrate(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    target: Annotated[str, typer.Option(help=TARGET_HELP)] = "total",
    trials: Annotated[int, typer.Option(help="number of optuna trials", min=1)] = 50,
    workers: WorkersOption = 2,
    scheduler: SchedulerOption = None,
    out: Annotated[Path | None, typer.Option(help="fitted scenario folder (default: ./<scenario name>_fitted)")] = None,
    scale: FitScaleOption = None,
    resume: Annotated[bool, typer.Option(help="continue the study stored next to --out")] = False,
    holdout: Annotated[bool, typer.Option(help="leave the last 6 observed months out of the fit")] = False,
    priors: PriorsOption = None,
):
    """Fit the priors in the scenario's priors.yaml to observed monthly series, on Dask."""
    from corridor.fit.cli_commands import cmd_calibrate

    cmd_calibrate(scenario, target, trials, scheduler, workers, out, scale, resume, holdout, priors)


@app.command()
@user_errors
def fit(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    out: Annotated[Path, typer.Option(help="posterior file (JSON), written after every simulation")] = Path(
        "posterior.json"
    ),
    target: Annotated[str, typer.Option(help=TARGET_HELP)] = "all",
    particles: Annotated[int, typer.Option(help="particles per generation", min=2)] = 40,
    generations: Annotated[int, typer.Option(help="ABC-SMC generations (populations)", min=1)] = 4,
    workers: WorkersOption = 2,
    scheduler: SchedulerOption = None,
    scale: FitScaleOption = None,
    resume: Annotated[bool, typer.Option(help="continue the fit stored in --out")] = False,
    holdout: Annotated[bool, typer.Option(help="leave Apr-Sep 2023 out of the fit and score them")] = False,
    priors: PriorsOption = None,
    around_scenario: Annotated[
        float | None,
        typer.Option(
            help="narrow each prior to this share of its range, around the scenario's value", min=0.001, max=1.0
        ),
    ] = None,
):
    """Fit a posterior over the priors by ABC-SMC on Dask (docs/fit.md); print each target's MAPE."""
    from corridor.fit.cli_commands import cmd_fit

    cmd_fit(
        scenario,
        out,
        target,
        particles,
        generations,
        scheduler,
        workers,
        scale,
        resume,
        holdout,
        priors,
        around_scenario,
    )


@app.command()
@user_errors
def ensemble(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    n: Annotated[int, typer.Option("-n", help="number of members (seeds)", min=1)] = 10,
    workers: WorkersOption = 2,
    scheduler: SchedulerOption = None,
    out: Annotated[Path | None, typer.Option(help="output folder (default: results/ensemble)")] = None,
    scale: Annotated[float | None, typer.Option(help="agents per person", callback=_agents_per_person)] = None,
    posterior: Annotated[
        Path | None,
        typer.Option(
            help="posterior file of `corridor fit`: each member draws its levers from it "
            "(default: the scenario's own posterior.json, where one was fitted to it)"
        ),
    ] = None,
    seeds_only: Annotated[
        bool, typer.Option(help="members differ by their seeds only, even where the scenario has a posterior")
    ] = False,
):
    """Run N seeds on Dask; median and 50%/90% bands for every output, in a report."""
    from corridor.fit.cli_commands import cmd_ensemble

    cmd_ensemble(scenario, n, workers, scheduler, out, scale, posterior, seeds_only)


@app.command()
@user_errors
def compare(
    a: Annotated[
        Path, typer.Argument(help="baseline scenario folder (default: the built-in US–Mexico corridor)")
    ] = DEFAULT_SCENARIO,
    b: Annotated[Path | None, typer.Argument(help="alternative scenario folder (or use --set)")] = None,
    n: Annotated[int, typer.Option("-n", help="number of paired seeds", min=1)] = 10,
    set_: Annotated[
        list[str], typer.Option("--set", help="alternative = A with lever=value or lever\\[where]=value")
    ] = [],
    workers: WorkersOption = 2,
    out: Annotated[Path | None, typer.Option(help="HTML report (default: results/compare.html)")] = None,
    scale: Annotated[float | None, typer.Option(help="agents per person", callback=_agents_per_person)] = None,
):
    """Run two scenarios with common random numbers; differences with bands."""
    from corridor.fit.cli_commands import cmd_compare

    cmd_compare(a, b, n, set_, workers, out, scale)


@app.command()
@user_errors
def counterfactuals(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    seeds: Annotated[int, typer.Option(help="number of paired seeds", min=1)] = 3,
    scale: Annotated[float | None, typer.Option(help="agents per person", callback=_agents_per_person)] = None,
    workers: WorkersOption = 2,
    out: Annotated[Path | None, typer.Option(help="output folder (default: results/counterfactuals)")] = None,
    declarations: Annotated[
        Path | None,
        typer.Option("--file", help="counterfactuals to run (default: the scenario's counterfactuals.yaml)"),
    ] = None,
    only: Annotated[list[str], typer.Option(help="run only this counterfactual (repeatable)")] = [],
):
    """Answer the scenario's counterfactuals with paired seeds: a table with bands, and event-study figures."""
    from corridor.fit.cli_commands import cmd_counterfactuals

    cmd_counterfactuals(scenario, seeds, workers, scale, out, declarations, only)


@app.command()
@user_errors
def serve(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    scale: Annotated[
        float | None, typer.Option(help="agents per person of every run", callback=_agents_per_person)
    ] = 0.02,
    n: Annotated[int, typer.Option("-n", help="paired seeds per what-if", min=1)] = 4,
    workers: WorkersOption = 2,
    scheduler: SchedulerOption = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on", min=1, max=65535)] = 8765,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="open the page in a browser")] = True,
):
    """Open the workbench in the browser: map, levers, and what-if runs against the baseline."""
    from corridor.models import model_for_command
    from corridor.scenario.load import load_scenario
    from corridor.web.serve import serve as serve_workbench

    model_for_command("serve", load_scenario(scenario), scenario)
    serve_workbench(scenario, scale, n, workers, host, port, open_browser, scheduler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
