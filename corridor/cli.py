"""The command line: thin commands over ``simulate`` and the report, fit and Flee layers.

User mistakes (a malformed scenario, an unknown lever) print one located message and exit 2.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridor.scenario.errors import ScenarioError

app = typer.Typer(help="corridor: simulate migration corridors and the policies that govern them.",
                  no_args_is_help=True, add_completion=False)
console = Console()
DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "us_mexico"
SET_PATTERN = re.compile(r"^(?P<lever>[\w.]+)(\[(?P<where>[^\]]+)\])?=(?P<value>.+)$")


def user_errors(command):
    """Turn ScenarioError into one red line and exit code 2 (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ScenarioError as error:
            console.print(f"[bold red]error:[/bold red] {error.message()}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def parse_sets(sets: list[str]) -> dict:
    """``lever=value`` or ``lever[where]=value`` -> overrides for ``simulate``."""
    overrides: dict = {}
    for item in sets:
        match = SET_PATTERN.match(item)
        if not match:
            raise ScenarioError("--set", "cannot read this setting", found=item, expected="lever=value or lever[where]=value")
        try:
            value = float(match["value"])
        except ValueError:
            raise ScenarioError("--set", "the value is not a number", key=match["lever"], found=match["value"],
                                expected="a number") from None
        if match["where"]:
            overrides.setdefault(match["lever"], {})[match["where"]] = value
        else:
            overrides[match["lever"]] = value
    return overrides


ScenarioArg = Annotated[Path, typer.Argument(help="scenario folder (default: the built-in US–Mexico corridor)")]


@app.command()
@user_errors
def run(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the scenario's)")] = None,
    scale: Annotated[float | None, typer.Option(help="agents per person (default: the scenario's)")] = None,
    out: Annotated[Path, typer.Option(help="folder for results.nc and report.html")] = Path("results"),
    set_: Annotated[list[str], typer.Option("--set", help="override a lever: lever=value or lever[where]=value")] = [],
    report: Annotated[bool, typer.Option(help="write the HTML report")] = True,
):
    """Simulate a scenario; print simulated vs observed encounters; write results and a report."""
    from corridor.results.dataset import save
    from corridor.scenario.load import load_scenario
    from corridor.simulate import simulate

    loaded = load_scenario(scenario)
    overrides = parse_sets(set_)
    flee = getattr(loaded.config, "ruleset", "corridor") == "flee"
    days = None if flee else (loaded.config.end - loaded.config.start).days + 1
    with _progress() as progress:
        task = progress.add_task(f"simulating {loaded.config.name}", total=days)
        ds = simulate(loaded, seed=seed, overrides=overrides or None, scale=scale,
                      on_day=lambda day: progress.update(task, completed=day + 1))
        progress.update(task, completed=days or 1, total=days or 1)
    out.mkdir(parents=True, exist_ok=True)
    save(ds, out / "results.nc")
    if flee:
        _report_flee(ds, out, report)
    else:
        _report_corridor(ds, out, report)
    console.print(f"results: [bold]{out / 'results.nc'}[/bold]")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("days"),
                    TimeElapsedColumn(), console=console)


def _report_corridor(ds, out: Path, report: bool) -> None:
    from corridor.report import write_report
    from corridor.report.terminal import fiscal_year_table, mexico_table, monthly_encounters_table

    console.print(monthly_encounters_table(ds))
    for dimension in ("group", "sector", "demographic"):
        console.print(fiscal_year_table(ds, dimension))
    console.print(mexico_table(ds))
    console.print(f"time per phase (s): {ds.attrs['phase_seconds']}")
    if report:
        console.print(f"report: [bold]{write_report(ds, out / 'report.html')}[/bold]")


def _report_flee(ds, out: Path, report: bool) -> None:
    from corridor.flee.metric import validate
    from corridor.flee.report import write_validation_report

    errors = validate(ds)
    console.print(f"Flee validation error: normal {errors['normal']:.3f}, rescaled {errors['rescaled']:.3f}")
    if report:
        console.print(f"report: [bold]{write_validation_report(ds, out / 'report.html', errors=errors)}[/bold]")


@app.command()
@user_errors
def levers(scenario: ScenarioArg = DEFAULT_SCENARIO):
    """List every lever: name, unit, value in the scenario, and its source."""
    from corridor.model import default_parameters, us_mexico_phases
    from corridor.scenario.load import load_scenario
    from corridor.world import build_world

    loaded = load_scenario(scenario)
    world = build_world(loaded)
    phases = us_mexico_phases(world)
    params = default_parameters(world, phases, loaded.config.parameters, loaded.folder / "scenario.yaml")
    table = Table(title="Levers (set with --set lever=value, lever[where]=value, or policy events)")
    for column in ("phase", "lever", "unit", "index", "value", "source"):
        table.add_column(column, overflow="fold")
    for phase in phases:
        for lever in phase.LEVERS:
            values = params[lever.name]
            shown = f"{values[0]:g}" if values.size == 1 or (values == values[0]).all() else "varies"
            table.add_row(phase.name, lever.name, lever.unit, lever.index or "", shown, lever.source)
    console.print(table)


@app.command()
@user_errors
def plan(scenario: ScenarioArg = DEFAULT_SCENARIO):
    """Print the ordered phases of one simulated day."""
    from corridor.engine.loop import plan as phase_plan
    from corridor.model import us_mexico_phases
    from corridor.scenario.load import load_scenario
    from corridor.world import build_world

    for number, name in enumerate(phase_plan(us_mexico_phases(build_world(load_scenario(scenario)))), start=1):
        console.print(f"{number:2d}. {name}")


@app.command("import-flee")
@user_errors
def import_flee(
    folder: Annotated[Path, typer.Argument(help="a Flee input folder (input_csv/, source_data/, simsetting.yml)")],
    out: Annotated[Path | None, typer.Option(help="scenario folder to write")] = None,
):
    """Convert a Flee scenario folder into a corridor scenario."""
    from corridor.flee.cli_commands import cmd_import_flee

    cmd_import_flee(folder, out)


@app.command("validate-flee")
@user_errors
def validate_flee(
    folder: Annotated[Path, typer.Argument(help="a Flee folder or an imported flee scenario")],
    seeds: Annotated[int, typer.Option(help="number of seeds to average")] = 5,
    report: Annotated[Path | None, typer.Option(help="HTML report to write")] = None,
):
    """Flee's validation error against UNHCR camp counts, per camp and overall."""
    from corridor.flee.cli_commands import cmd_validate_flee

    cmd_validate_flee(folder, seeds, report)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
