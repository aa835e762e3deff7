"""Command bodies for the CLI (the lead wires them into typer): calibrate, fit, ensemble, compare, counterfactuals.

They print with rich and raise ScenarioError for bad input, which the CLI turns into exit 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import xarray as xr
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridor.fit.abc import fit_posterior
from corridor.fit.backend import dask_client
from corridor.fit.baselines import holdout_table, posterior_holdout_table
from corridor.fit.calibrate import calibrate
from corridor.fit.compare import check_overrides, compare, describe_period, difference_table, write_compare_report
from corridor.fit.ensemble import ensemble, member_seeds
from corridor.fit.posterior import POSTERIOR_FILE, Posterior, scenario_posterior, total_bands
from corridor.fit.study import SCORES_ATTR, storage_for, trial_series
from corridor.fit.targets import Targets
from corridor.models import model_for_command
from corridor.observed import sw_border_total
from corridor.report.comparison import mape_by_window, mape_table
from corridor.report.html import write_report
from corridor.results.dataset import save
from corridor.results.forecast import POSTERIOR_LEVELS
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import load_scenario
from corridor.settings import parse_sets

DEFAULT_ENSEMBLE_OUT = Path("results") / "ensemble"
DEFAULT_COMPARE_OUT = Path("results") / "compare.html"
DEFAULT_COUNTERFACTUALS_OUT = Path("results") / "counterfactuals"


def _rich_table(frame: pd.DataFrame, title: str, number_format: str = "{:,.1f}") -> Table:
    """A frame as a rich table; labels are escaped (a lever key such as ``x[cuba]`` is not markup)."""
    table = Table(title=title)
    table.add_column(str(frame.index.name or ""), overflow="fold")  # names wrap, never cut
    for column in frame.columns:
        table.add_column(str(column), justify="right")
    for name, row in frame.iterrows():
        table.add_row(escape(str(name)), *(_cell(value, number_format) for value in row))
    return table


def _cell(value, number_format: str) -> str:
    """A number in ``number_format``, a label as it is, a missing value blank."""
    if isinstance(value, str):
        return escape(value)
    return "" if pd.isna(value) else number_format.format(value)


def cmd_calibrate(
    scenario: Path,
    target: str = "total",
    n_trials: int = 50,
    scheduler: str | None = None,
    workers: int = 2,
    out: Path | None = None,
    scale: float | None = None,
    resume: bool = False,
    holdout: bool = False,
    priors: Path | None = None,
) -> Path:
    """Fit the priors in ``scenario/priors.yaml`` (or ``priors``) and write the fitted scenario to
    ``out`` (default ``<scenario's name>_fitted`` in the current folder, never inside the installed package);
    ``resume`` continues the study stored next to ``out``."""
    loaded = load_scenario(scenario)
    model_for_command("calibrate", loaded, scenario)
    out = Path(out) if out is not None else Path(Path(scenario).name + "_fitted")
    database = Path(storage_for(out).removeprefix("sqlite:///"))
    if database.exists() and not resume:
        raise ScenarioError(
            database, "a calibration study is already stored here", expected="--resume to continue it, or another --out"
        )
    targets = Targets.parse(target, holdout=holdout)
    result = calibrate(
        loaded,
        targets,
        n_trials,
        scheduler=scheduler,
        workers=workers,
        scale=scale,
        out=out,
        priors_file=priors,
        start_from_scenario=not holdout,  # the scenario's values were fitted with the held-out months
    )
    console = Console()
    best = pd.DataFrame({"fitted": result.best}).rename_axis("lever")
    console.print(
        _rich_table(
            best, f"best of {len(result.study.trials)} trials, distance {result.study.best_value:.2f}", "{:.4g}"
        )
    )
    series = trial_series(result.study.best_trial)
    windows = pd.DataFrame({"MAPE %": mape_by_window(series, _observed())}).rename_axis("window")
    console.print(_rich_table(windows, "SW-border fit of the best trial"))
    scores = result.study.best_trial.user_attrs.get(SCORES_ATTR)  # absent from studies stored before targets
    if scores is not None:
        console.print(_rich_table(result.targets.mape_table(scores), "targets of the best trial", "{:.1f}"))
    if holdout:
        console.print(_rich_table(holdout_table(series), "hold-out months (not fitted)"))
    console.print(f"fitted scenario: [bold]{result.scenario}[/bold]\nreport: [bold]{result.report}[/bold]")
    assert result.scenario is not None  # written, since calibrate was given ``out``
    return result.scenario


def cmd_fit(
    scenario: Path,
    out: Path,
    target: str = "all",
    particles: int = 40,
    generations: int = 4,
    scheduler: str | None = None,
    workers: int = 2,
    scale: float | None = None,
    resume: bool = False,
    holdout: bool = False,
    priors: Path | None = None,
    around_scenario: float | None = None,
) -> Posterior:
    """Fit a posterior over the priors by ABC-SMC into the file ``out`` (``resume`` continues it);
    print the posterior of each lever, each target's MAPE and, with ``holdout``, the hold-out table."""
    loaded = load_scenario(scenario)
    model_for_command("fit", loaded, scenario)
    targets = Targets.parse(target, holdout=holdout)
    try:
        posterior = fit_posterior(
            loaded,
            targets,
            Path(out),
            particles,
            generations,
            scheduler,
            workers,
            scale,
            priors_file=priors,
            around_scenario=around_scenario,
            resume=resume,
        )
    except KeyboardInterrupt:
        Console().print(f"interrupted: every finished run is kept in {out}; --resume continues the fit")
        raise SystemExit(130) from None
    console = Console()
    if not console.is_terminal:  # a log file: wide enough for lever names and the hold-out table
        console = Console(width=160)
    last = posterior.last
    console.print(
        _rich_table(
            posterior.summary(),
            f"posterior: generation {len(posterior.populations)}, {len(last.particles)} particles "
            f"(effective sample size {last.effective_size:.1f}), "
            f"epsilon {last.epsilon:.2f}, {sum(p.simulations for p in posterior.populations)} simulations",
            "{:.4g}",
        )
    )
    fitted = targets.clipped_to(loaded.config.start, loaded.config.end)
    console.print(
        _rich_table(
            fitted.mape_table(posterior.mean_scores()), "targets: MAPE %, weighted mean over the posterior", "{:.1f}"
        )
    )
    if holdout:
        table, covered = posterior_holdout_table(total_bands(posterior, POSTERIOR_LEVELS))
        console.print(_rich_table(table, "hold-out months (not fitted), SW-border encounters"))
        console.print(f"the 90% posterior band covers {covered} of {len(table) - 1} hold-out months")
    console.print(f"posterior: [bold]{out}[/bold]")
    return posterior


def _observed() -> pd.Series:
    return sw_border_total().astype("float64")


def cmd_ensemble(
    scenario: Path,
    n: int = 10,
    workers: int = 2,
    scheduler: str | None = None,
    out: Path | None = None,
    scale: float | None = None,
    posterior: Path | None = None,
    seeds_only: bool = False,
) -> xr.Dataset:
    """Run ``n`` seeds; write the members (NetCDF) and a report with 50%/90% bands to ``out`` (default
    results/ensemble); print the MAPE of the members' median series and of each member. With
    ``posterior`` (a file of ``corridor fit``), or else the scenario's own posterior unless ``seeds_only``,
    each member draws its levers from it."""
    loaded = load_scenario(scenario)
    model_for_command("ensemble", loaded, scenario)
    _check_members(n)
    draws, title = None, f"{loaded.config.name}: ensemble of {n}"
    fitted, source = None, ""
    if posterior is not None:
        fitted, source = Posterior.load(posterior), f"the posterior {Path(posterior).name}"
        if fitted.scenario_sha256 != loaded.content_sha256():
            raise ScenarioError(
                posterior,
                "the posterior was fitted to another scenario",
                field="scenario_sha256",
                found=fitted.scenario_sha256[:12],
                expected=f"{loaded.content_sha256()[:12]} ({scenario})",
            )
    elif not seeds_only:
        fitted, note = scenario_posterior(loaded)
        source = f"the scenario's own {POSTERIOR_FILE} (--seeds-only: seeds only)"
        if note:
            Console().print(f"members differ by their seeds only: {note}")
    if fitted is not None:
        draws = fitted.draws(n, loaded.config.seed)
        title += f", levers drawn from {source}: bands carry parameter uncertainty and chance"
    with dask_client(scheduler, workers) as client, runs_progress(n, "ensemble members") as on_member:
        members = ensemble(loaded, n, parameter_draws=draws, client=client, scale=scale, on_member=on_member)
    out = Path(out or DEFAULT_ENSEMBLE_OUT)
    out.mkdir(parents=True, exist_ok=True)
    save(members, out / "ensemble.nc")
    write_report(members, out / "report.html", title=title, scenario=loaded)
    console = Console()
    console.print(title)
    console.print(
        _rich_table(
            mape_table(members).rename_axis("run"), "SW-border MAPE %: the members' median series, then each member"
        )
    )
    console.print(f"members: [bold]{out / 'ensemble.nc'}[/bold]\nreport: [bold]{out / 'report.html'}[/bold]")
    return members


@contextmanager
def runs_progress(total: int, what: str) -> Iterator[Callable[[], None]]:
    """A progress bar of finished runs; yields the callback that advances it by one."""
    with Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)


def _check_members(n: int) -> None:
    if n < 1:
        raise ScenarioError("-n", "an ensemble needs at least one member", found=n, expected="n >= 1")


def cmd_compare(
    a: Path,
    b: Path | None = None,
    n: int = 10,
    sets: Sequence[str] = (),
    workers: int = 2,
    out: Path | None = None,
    scale: float | None = None,
) -> pd.DataFrame:
    """Run A and B (a folder, or A with ``--set lever=value`` / ``lever[where]=value``) with the same
    ``n`` seeds; print the paired differences and write an HTML report to ``out`` (default
    results/compare.html)."""
    _check_members(n)
    scenario_a = load_scenario(a)
    scenario_b = load_scenario(b) if b is not None else scenario_a
    model_for_command("compare", scenario_a, a)
    if b is not None:
        model_for_command("compare", scenario_b, b)
    if b is None and not sets:
        raise ScenarioError("compare", "B is the same as A", expected="a scenario B or at least one --set")
    overrides = parse_sets(list(sets))
    check_overrides(overrides, scenario_b)
    with dask_client(None, workers) as client, runs_progress(2 * n, "runs (A then B)") as on_member:
        comparison = compare(
            scenario_a, scenario_b, n, overrides=overrides, client=client, scale=scale, on_member=on_member
        )
    described = f"{b or a}" + (f" with {', '.join(sets)}" if sets else "")
    table = difference_table(comparison).rename_axis("output")
    Console().print(_rich_table(table, f"B − A over {n} paired seeds: {describe_period(comparison)}", "{:,.0f}"))
    seeds = member_seeds(scenario_a, n)
    out = Path(out or DEFAULT_COMPARE_OUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    description = {"A": str(a), "B": described, "seeds": f"{seeds[0]}..{seeds[-1]}"}
    path = write_compare_report(comparison, out, description, scenario_a)
    Console().print(f"report: [bold]{path}[/bold]")
    return table


def cmd_counterfactuals(
    scenario: Path,
    seeds: int = 3,
    workers: int = 2,
    scale: float | None = None,
    out: Path | None = None,
    declarations: Path | None = None,
    only: Sequence[str] = (),
) -> pd.DataFrame:
    """Run the scenario and each counterfactual of its counterfactuals.yaml (or ``declarations``) with
    the same ``seeds`` seeds; write the answer table (Markdown, CSV, HTML with the event-study figures)
    and each event study's figure (PNG) to ``out`` (default results/counterfactuals)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from corridor.fit import counterfactuals as cf
    from corridor.report.event_study import event_study_figure
    from corridor.report.html import figure_html, write_html

    _check_members(seeds)
    loaded = load_scenario(scenario)
    model_for_command("counterfactuals", loaded, scenario)
    declared = cf.read_declarations(loaded, declarations)
    out = Path(out or DEFAULT_COUNTERFACTUALS_OUT)
    the_plan = cf.plan(loaded, declared, out / "scenarios", only)
    seed_list = member_seeds(loaded, seeds)
    console = Console()
    for name, reason in the_plan.skipped.items():
        console.print(f"skipped {name}: {escape(reason)}")
    results: dict[str, xr.Dataset] = {}
    if the_plan.runs:
        total = len(the_plan.runs) * len(seed_list)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with dask_client(None, workers) as client, Progress(*columns, console=console) as progress:
            task = progress.add_task(f"{len(the_plan.runs)} scenarios x {len(seed_list)} seeds", total=total)
            results = cf.run_paired(the_plan.runs, seed_list, client, scale, on_done=lambda: progress.advance(task))
    table = cf.answer_table(declared, the_plan, cf.effects(results, the_plan))
    console.print(_rich_table(table.set_index("counterfactual").drop(columns="question"), "paired changes", "{}"))
    out.mkdir(parents=True, exist_ok=True)
    described = (
        f"Paired changes (counterfactual − scenario) over each window: median and 90% band across "
        f"{len(seed_list)} seed pairs (seeds {seed_list[0]}..{seed_list[-1]}), scale {scale or loaded.config.scale}; "
        "encounters and apprehensions are totals over the window's months, effort is their mean."
    )
    (out / "counterfactuals.md").write_text(described + "\n\n" + cf.markdown(table), encoding="utf-8")
    table.to_csv(out / "counterfactuals.csv", index=False)
    sections = [f"<p>{described}</p>", table.to_html(index=False)]
    for counterfactual in declared:
        study = counterfactual.event_study
        if study is None or counterfactual.name not in results:
            continue
        span = (pd.Timestamp(study.start), pd.Timestamp(study.end))
        figure = event_study_figure(
            results[the_plan.compared_with[counterfactual.name]],
            results[counterfactual.name],
            span,
            list(study.outputs),
            {name: label for name, (label, _) in cf.OUTPUTS.items()},
            f"{counterfactual.name}\n{counterfactual.question}",
        )
        figure.savefig(out / f"{counterfactual.name}.png", dpi=100)
        sections.append(figure_html(figure, f"Event study {counterfactual.name}: with and without the event."))
    write_html(out / "counterfactuals.html", f"{loaded.config.name}: the counterfactuals", sections)
    console.print(
        f"table: [bold]{out / 'counterfactuals.md'}[/bold]\nreport: [bold]{out / 'counterfactuals.html'}[/bold]"
    )
    return table
