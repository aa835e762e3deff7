"""The posterior fit (ABC-SMC on a real Dask LocalCluster): it recovers a tiny world's known lever,
gives the same posterior on one worker as on two, resumes an interrupted fit without losing a
simulation; and the targets' MAPEs on small series checked by hand."""

import json
import shutil
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from distributed import LocalCluster
from tiny_world import tiny_world
from typer.testing import CliRunner

from corridor import simulate
from corridor.cli import app
from corridor.fit.abc import fit_posterior
from corridor.fit.baselines import posterior_holdout_table
from corridor.fit.cli_commands import cmd_ensemble
from corridor.fit.posterior import POSTERIOR_FILE, Population, Posterior, prior_mean, scenario_posterior, total_bands
from corridor.fit.priors import as_overrides
from corridor.fit.study import series_attr
from corridor.fit.targets import TARGETS, Targets, swb_series
from corridor.observed import sw_border_total
from corridor.report.monthly import monthly
from corridor.resources import builtin_scenario
from corridor.results.forecast import POSTERIOR_LEVELS
from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import load_scenario

TRUE_SCALE = 1.6  # departure.scale of the run the fit is given as observed
PRIOR = {"lever": "departure.scale", "low": 0.5, "high": 2.0, "log": True}
PARTICLES, GENERATIONS = 8, 4


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    folder = tiny_world(tmp_path_factory.mktemp("posterior") / "tiny", days=61, daily_departures=100.0)
    (folder / "priors.yaml").write_text(yaml.safe_dump([PRIOR]))
    return folder


@pytest.fixture(scope="module")
def targets(world) -> Targets:
    """Border Patrol and ports of a run at the true lever value (another seed than any the fit uses)."""
    truth = monthly(simulate(world, seed=12345, overrides={"departure.scale": TRUE_SCALE}))
    observed = {name: TARGETS[name].compare(truth, pd.DataFrame())[0] for name in ("bp", "ofo")}
    return Targets(("bp", "ofo"), observed=observed)


@pytest.fixture(scope="module")
def fitted(world, targets, tmp_path_factory) -> Path:
    """The fit on a two-worker LocalCluster."""
    path = tmp_path_factory.mktemp("fitted") / "posterior.json"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        fit_posterior(world, targets, path, PARTICLES, GENERATIONS, scheduler=cluster.scheduler_address, progress=False)
    return path


def test_abc_recovers_the_true_lever_and_narrows_the_prior(fitted):
    posterior = Posterior.load(fitted)
    assert len(posterior.populations) == GENERATIONS
    summary = posterior.summary().loc["departure.scale"]
    prior = posterior.priors[0]
    assert abs(summary["posterior mean"] - TRUE_SCALE) < 0.4 * abs(prior_mean(prior) - TRUE_SCALE)
    posterior_width = np.log(summary["posterior 95%"]) - np.log(summary["posterior 5%"])
    assert posterior_width < 0.5 * 0.9 * (np.log(prior.high) - np.log(prior.low))  # the prior's 90% on its scale
    epsilons = [population.epsilon for population in posterior.populations]
    assert epsilons[1] > epsilons[2]  # each generation is held to a tighter distance


def test_one_worker_interrupted_and_resumed_gives_the_same_posterior(world, targets, fitted, tmp_path):
    path = tmp_path / "posterior.json"
    simulated = []

    def interrupt_after_eleven(evaluation):
        simulated.append(evaluation)
        if len(simulated) == 11:
            raise KeyboardInterrupt

    fit_on_one_worker = partial(fit_posterior, world, targets, path, PARTICLES, GENERATIONS, workers=1, progress=False)
    with pytest.raises(KeyboardInterrupt):
        fit_on_one_worker(on_simulation=interrupt_after_eleven)
    stored = Posterior.load(path)
    assert len(stored.populations) == 1 and len(stored.pending) == 11 - PARTICLES  # every finished run kept
    with pytest.raises(ScenarioError, match="already stored"):
        fit_on_one_worker()
    resumed = []
    fit_on_one_worker(resume=True, on_simulation=resumed.append)
    assert {e.seed for e in resumed}.isdisjoint(e.seed for e in simulated)  # nothing simulated twice
    one_worker, two_workers = json.loads(path.read_text()), json.loads(fitted.read_text())
    assert one_worker["populations"] == two_workers["populations"]


def test_ensemble_draws_come_from_the_posterior_particles(fitted):
    posterior = Posterior.load(fitted)
    draws = posterior.draws(20, seed=1)
    particles = {particle.values[0] for particle in posterior.last.particles}
    assert {draw["departure.scale"] for draw in draws} <= particles
    assert len({draw["departure.scale"] for draw in draws}) > 1  # members differ by their levers
    assert draws == posterior.draws(20, seed=1)


def _run(days: pd.DatetimeIndex, usbp_per_day: float, ofo_per_day: float) -> xr.Dataset:
    """A daily run with only encounters: one sector, group, demographic, authority."""
    encounters = np.zeros((len(days), 1, 2, 1, 1, 1))
    encounters[:, 0, 0], encounters[:, 0, 1] = usbp_per_day, ofo_per_day
    return xr.Dataset(
        {"encounters": (("time", "sector", "component", "group", "demographic", "authority"), encounters)},
        coords={"time": days, "component": ["usbp", "ofo"]},
    )


def test_each_targets_mape_and_the_weighted_distance_by_hand():
    run = _run(pd.date_range("2022-01-01", "2022-02-28", freq="D"), usbp_per_day=1.0, ofo_per_day=2.0)
    months = pd.DatetimeIndex(["2022-01-01", "2022-02-01"])
    observed = {
        "bp": pd.DataFrame({"bp": [62.0, 28.0]}, index=months),  # simulated 31, 28: errors 50%, 0%
        "ofo": pd.DataFrame({"ofo": [31.0, 56.0]}, index=months),  # simulated 62, 56: errors 100%, 0%
    }
    targets = Targets(("bp", "ofo"), observed=observed)
    assert targets.scores(run) == pytest.approx({"bp": 25.0, "ofo": 50.0})
    assert targets.distance(run) == pytest.approx((2 * 25.0 + 1 * 50.0) / 3)  # bp counts twice by default
    reweighted = Targets(("bp", "ofo"), weights={"ofo": 3.0}, observed=observed)
    assert reweighted.distance(run) == pytest.approx((2 * 25.0 + 3 * 50.0) / 5)
    table = targets.mape_table(targets.scores(run))
    assert table.loc["bp", "period"] == "2022-01..2022-02" and table.loc["ofo", "MAPE %"] == 50.0


def test_target_lists_parse_with_weights_and_all():
    assert Targets.parse("bp,ofo:0.5").weights == {"bp": 2.0, "ofo": 0.5}
    every = Targets.parse("all")
    assert "total" not in every.series and {"bp", "ofo", "nationality", "title", "darien"} <= set(every.series)
    for wrong in ("bp,ofo:x", "b p", "bp:-1"):
        with pytest.raises(ScenarioError):
            Targets.parse(wrong)


def test_posterior_holdout_table_counts_the_months_its_band_covers():
    observed = sw_border_total().astype("float64").loc["2023-04-01":"2023-09-01"]
    bands = pd.DataFrame({"median": observed, "5%": observed * 0.9, "95%": observed * 1.1})
    bands.iloc[[0, 5], 1] = observed.iloc[[0, 5]] * 1.05  # two months whose band starts above the observed
    table, covered = posterior_holdout_table(bands)
    assert covered == 4
    assert table.loc["MAPE %", "posterior median"] == 0.0
    assert table.loc["MAPE %", "flat from Mar 2023"] == pytest.approx(16.6, abs=0.05)
    assert table.loc["MAPE %", "seasonal naive"] == pytest.approx(18.1, abs=0.05)


def test_an_ensemble_refuses_a_posterior_fitted_to_another_scenario(fitted, tmp_path):
    other = tiny_world(tmp_path / "other", days=61, daily_departures=100.0, seed=2)
    with pytest.raises(ScenarioError, match="another scenario"):
        cmd_ensemble(other, n=2, posterior=fitted, out=tmp_path / "ensemble")


def test_a_fit_around_the_scenario_searches_and_records_the_narrowed_priors(world, targets, tmp_path):
    path = tmp_path / "posterior.json"
    fit_posterior(world, targets, path, 4, 2, workers=1, around_scenario=0.2, progress=False)
    posterior = Posterior.load(path)
    (prior,) = posterior.priors
    assert PRIOR["low"] < prior.low < 1.0 < prior.high < PRIOR["high"]  # the tiny world's departure.scale is 1
    assert np.log(prior.high / prior.low) == pytest.approx(0.2 * np.log(PRIOR["high"] / PRIOR["low"]))
    values = [particle.values[0] for population in posterior.populations for particle in population.particles]
    assert len(values) == 8 and all(prior.low <= value <= prior.high for value in values)
    with pytest.raises(ScenarioError, match="made otherwise"):  # resumed without the option: other priors
        fit_posterior(world, targets, path, 4, 3, workers=1, resume=True, progress=False)


def test_a_run_draws_the_band_of_its_scenarios_own_posterior_and_none_when_a_lever_is_set(world, fitted, tmp_path):
    folder = tmp_path / "with_posterior"
    shutil.copytree(world, folder)
    shutil.copy(fitted, folder / POSTERIOR_FILE)
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "posterior 90% band" in result.output
    page = (tmp_path / "run" / "report.html").read_text()
    effective = Posterior.load(fitted).last.effective_size
    assert f"Green: the 90% band of 8 runs (effective sample size {effective:.0f}) of the last of 4 ABC-SMC" in page
    bands = total_bands(Posterior.load(fitted), POSTERIOR_LEVELS)
    shown = [f"{row['5%']:,.0f} – {row['95%']:,.0f}" for _, row in bands.iterrows()]
    assert all(row["5%"] < row["95%"] for _, row in bands.iterrows())
    assert all(cells in result.output.replace("\n", " ") for cells in shown)  # each month's band in its row
    observed = sw_border_total().reindex(bands.index).dropna()
    inside = int(sum(bands.loc[month, "5%"] <= count <= bands.loc[month, "95%"] for month, count in observed.items()))
    assert f"It holds {inside} of the {len(observed)} observed months" in page and len(observed) == 3  # Jan-Mar 2022

    result = CliRunner().invoke(
        app, ["run", str(folder), "--out", str(tmp_path / "set"), "--set", "departure.scale=1.2"]
    )
    assert result.exit_code == 0, result.output
    assert "no posterior band: levers were set" in result.output
    assert "Green: the 90% band" not in (tmp_path / "set" / "report.html").read_text()


def test_a_posterior_of_another_scenario_or_unreadable_is_passed_over_with_a_note(fitted, tmp_path):
    other = tiny_world(tmp_path / "other", days=61, daily_departures=100.0, seed=2)
    shutil.copy(fitted, other / POSTERIOR_FILE)
    posterior, note = scenario_posterior(load_scenario(other))
    assert posterior is None and "fitted to another version of the scenario" in note
    (other / POSTERIOR_FILE).write_text("{not json")
    posterior, note = scenario_posterior(load_scenario(other))
    assert posterior is None and "cannot read the posterior file" in note
    result = CliRunner().invoke(app, ["run", str(other), "--out", str(tmp_path / "run")])
    assert result.exit_code == 0 and "no posterior band: posterior.json not used" in result.output


def test_the_built_in_posterior_belongs_to_the_built_in_scenario_as_the_model_runs_it_now():
    """The shipped posterior was fitted to the built-in scenario's content, and its heaviest particle, run again,
    gives the SW-border series the file holds: a change that moves results must fit it again (docs/fit.md)."""
    scenario = load_scenario(builtin_scenario())
    posterior, note = scenario_posterior(scenario)
    assert posterior is not None, note
    _, particle = max(zip(posterior.last.weights, posterior.last.particles, strict=True), key=lambda pair: pair[0])
    overrides = as_overrides(dict(zip(posterior.keys, particle.values, strict=True)), posterior.priors)
    again = simulate(scenario, seed=particle.seed, overrides=overrides, scale=posterior.scale)
    assert series_attr(swb_series(again)) == particle.total


def test_the_effective_sample_size_counts_the_particles_the_weights_spread_over():
    def population(weights):
        return Population(epsilon=1.0, particles=[], weights=weights, simulations=len(weights))

    assert population([0.25] * 4).effective_size == pytest.approx(4.0)
    assert population([1.0, 0.0, 0.0, 0.0]).effective_size == pytest.approx(1.0)
    assert 1.0 < population([0.7, 0.1, 0.1, 0.1]).effective_size < 4.0


def test_an_ensemble_draws_its_levers_from_the_scenarios_own_posterior_unless_seeds_only(world, fitted, tmp_path):
    folder = tmp_path / "with_posterior"
    shutil.copytree(world, folder)
    shutil.copy(fitted, folder / POSTERIOR_FILE)
    drawn = cmd_ensemble(folder, n=2, workers=1, out=tmp_path / "drawn")
    seeds = cmd_ensemble(folder, n=2, workers=1, out=tmp_path / "seeds", seeds_only=True)
    page = (tmp_path / "drawn" / "report.html").read_text()
    assert "levers drawn from the scenario" in page and "own posterior.json" in page
    assert "levers drawn" not in (tmp_path / "seeds" / "report.html").read_text()
    assert list(drawn["seed"].values) == list(seeds["seed"].values)
    alone = simulate(folder, seed=int(seeds["seed"][0]))["encounters"]
    np.testing.assert_array_equal(seeds.isel(ensemble=0)["encounters"].values, alone.values)
    assert not drawn.isel(ensemble=0)["encounters"].equals(seeds.isel(ensemble=0)["encounters"])
