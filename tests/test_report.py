"""The report layer: monthly aggregation, fit table, figures and the HTML file."""

import re
import threading

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from corridor import observed
from corridor.models.us_mexico.model import OUTPUTS
from corridor.report import mape_summary, monthly, monthly_table, write_report
from corridor.report.comparison import crossing_routes
from corridor.report.figures import FIGURES, FORECAST_GID, FORECAST_LABEL, swb_encounters, waiting_by_border_city
from corridor.report.html import figure_workers
from corridor.report.style import distinct_colors, finish
from corridor.report.terminal import mexico_table, monthly_encounters_table
from corridor.results.forecast import POSTERIOR_BAND, marked

PLACES = ("Tapachula", "Mexico City", "Monterrey", "Tijuana", "Ciudad Juarez", "Reynosa")
BORDER_CITIES = ("Tijuana", "Ciudad Juarez", "Reynosa")
ROUTES = (
    "Tapachula->Mexico City (bus)",
    "Mexico City->Monterrey (train)",
    "Tijuana->San Diego sector (foot_desert)",
    "Ciudad Juarez->El Paso sector (wall_climb)",
    "Reynosa->Rio Grande Valley sector (river)",
)
OVERSHOOT = 1.1  # synthetic runs report 10% more encounters than CBP observed


def synthetic_results(start: str, end: str) -> xr.Dataset:
    """A results Dataset shaped like the engine's, whose SWB encounters are 1.1x CBP's."""
    time = pd.date_range(start, end, freq="D")
    month = time.to_period("M").to_timestamp()
    observed_month = observed.sw_border_total().astype(float).reindex(month).fillna(50_000.0).to_numpy()
    daily_total = OVERSHOOT * observed_month / time.days_in_month.to_numpy()
    coords = {
        "time": time,
        "sector": list(observed.SECTORS),
        "component": ["usbp", "ofo"],
        "group": list(observed.GROUPS),
        "demographic": list(observed.DEMOGRAPHICS),
        "authority": ["title8", "title42"],
        "place": list(PLACES),
        "border_city": list(BORDER_CITIES),
        "route": list(ROUTES),
        "us_outcome": ["expelled_t42", "removed", "mpp", "released"],
    }
    encounter_dims = ("time", "sector", "component", "group", "demographic", "authority")
    cells = np.prod([len(coords[dim]) for dim in encounter_dims[1:]])
    encounter_shape = (len(time), *(len(coords[dim]) for dim in encounter_dims[1:]))
    encounters = np.broadcast_to((daily_total / cells).reshape(-1, 1, 1, 1, 1, 1), encounter_shape).copy()

    def per_day(value: float, *dims: str) -> tuple:
        return ("time", *dims), np.full((len(time), *(len(coords[d]) for d in dims)), value)

    data_vars = {
        "encounters": (encounter_dims, encounters),
        "repeat_encounters": per_day(100.0),
        "departures": per_day(50.0, "group"),
        "mx_apprehensions": per_day(100.0, "place"),
        "mx_deportations": per_day(40.0, "group"),
        "mx_releases": per_day(20.0, "group"),
        "mx_decompressions": per_day(10.0, "group"),
        "mx_land_returns": per_day(30.0, "group"),
        "out_of_money": per_day(5.0, "group"),
        "mx_detained": per_day(3_000.0),
        "waiting": per_day(1_000.0, "border_city"),
        "crossings": per_day(500.0, "route"),
        "deaths": per_day(0.5, "route"),
        "rescues": per_day(2.0, "route"),
        "us_outcomes": per_day(300.0, "us_outcome"),
        "backlog": per_day(1e6),
        "bribes_paid_usd": per_day(1e4),
        "smuggler_fees_usd": per_day(1e6),
        "mexico_effort": per_day(1.0),
    }
    declared = {output.name: output for output in OUTPUTS}
    described = {name: (*value, declared[name].attrs) for name, value in data_vars.items()}
    return xr.Dataset(described, coords=coords, attrs={"scenario": "synthetic", "seed": 7, "scale": 100})


def as_members(ds: xr.Dataset) -> xr.Dataset:
    """Raw ensemble of three members (seeds 11–13) whose median equals ``ds``."""
    members = xr.concat([ds * factor for factor in (0.9, 1.0, 1.1)], dim=pd.Index([0, 1, 2], name="ensemble"))
    return members.assign_coords(seed=("ensemble", [11, 12, 13])).assign_attrs(ds.attrs)


@pytest.fixture(scope="module")
def run() -> xr.Dataset:
    """Through 2024, as the built-in run: the 15 months after September 2023 are a forecast."""
    return marked(synthetic_results("2019-01-01", "2024-12-31"), observed.OBSERVED_UNTIL)


@pytest.fixture(scope="module")
def short_run() -> xr.Dataset:
    return synthetic_results("2021-10-01", "2023-09-30")


def test_monthly_sums_flows_and_averages_stocks(run):
    months = monthly(run)
    assert months.sizes["time"] == 72
    assert months["repeat_encounters"].sel(time="2019-01-01").item() == pytest.approx(31 * 100)
    assert months["repeat_encounters"].sel(time="2019-02-01").item() == pytest.approx(28 * 100)
    assert months["waiting"].sel(time="2019-02-01", border_city="Tijuana").item() == pytest.approx(1_000)
    assert months["mexico_effort"].max().item() == pytest.approx(1.0)
    assert months.attrs["scenario"] == "synthetic"


def test_monthly_results_are_not_resampled_again_but_two_days_from_a_month_start_are(run):
    months = monthly(run)
    assert monthly(months) is months  # so a report resamples once and hands the months to every table
    two_days = monthly(run.sel(time=slice("2019-02-01", "2019-02-02")))
    assert two_days.sizes["time"] == 1
    assert two_days["repeat_encounters"].item() == pytest.approx(2 * 100)


def test_monthly_gives_the_numbers_of_xarrays_resampling_bit_for_bit(run):
    """Noisy days (so that the order of additions shows), a missing day, a run starting mid-month, and
    an ensemble whose member dimension comes first."""
    noise = np.random.default_rng(3).lognormal(0, 1, run.sizes["time"])
    noisy = (run * xr.DataArray(noise, dims="time")).where(run.time != run.time[40]).assign_attrs(run.attrs)
    for name in noisy.data_vars:
        noisy[name].attrs = run[name].attrs
    members = xr.concat([noisy * factor for factor in (0.9, 1.1)], dim="ensemble").assign_attrs(run.attrs)
    for ds in (noisy, noisy.isel(time=slice(17, None)), members):
        flows = [name for name, da in ds.data_vars.items() if da.attrs.get("cell_methods") != "time: point"]
        stocks = [name for name in ds.data_vars if name not in flows]
        resampled = xr.merge([ds[flows].resample(time="MS").sum(), ds[stocks].resample(time="MS").mean()])
        months = monthly(ds)
        assert np.isnan(months["mexico_effort"].values).sum() == 0 < np.isnan(noisy["mexico_effort"].values).sum()
        for name in ds.data_vars:
            xr.testing.assert_identical(months[name].drop_vars("forecast"), resampled[name])


def test_monthly_table_compares_with_cbp_totals(run):
    table = monthly_table(run)
    assert list(table.columns) == ["simulated", "observed", "abs_pct_error", "forecast"]
    assert table.loc["2019-09-01", "observed"] != table.loc["2019-09-01", "observed"]  # NaN before FY2020
    assert table.loc["2022-05-01", "observed"] == 241_136
    assert table.loc["2022-05-01", "simulated"] == pytest.approx(1.1 * 241_136)
    assert table["abs_pct_error"].dropna().to_numpy() == pytest.approx(np.full(48, 10.0))
    assert list(table.index[table["forecast"]]) == list(pd.date_range("2023-10-01", "2024-12-01", freq="MS"))
    assert table.loc[table["forecast"], "observed"].isna().all()


def test_mape_summary_reports_fit_window_and_each_year(run):
    summary = mape_summary(run)
    assert list(summary) == ["FY2021-FY2023", "FY2021", "FY2022", "FY2023"]
    assert all(value == pytest.approx(10.0) for value in summary.values())


def test_mape_summary_is_nan_for_years_the_run_misses(short_run):
    summary = mape_summary(short_run)
    assert np.isnan(summary["FY2021"])
    assert summary["FY2022"] == pytest.approx(10.0)


def test_forecast_months_are_shaded_in_every_figure_and_labelled_in_the_tables(run, short_run):
    months = monthly(run)
    assert int(months["forecast"].sum()) == 15 and not months["forecast"].sel(time="2023-09-01")
    for make in FIGURES:
        axes = [ax for ax in make(months).figure.axes if ax.get_visible()]
        shaded = [ax for ax in axes if any(patch.get_gid() == FORECAST_GID for patch in ax.patches)]
        assert shaded == axes, make.__name__
    legend = [text.get_text() for text in swb_encounters(months).figure.axes[0].get_legend().get_texts()]
    assert FORECAST_LABEL in legend
    assert not any(
        patch.get_gid() == FORECAST_GID for patch in swb_encounters(monthly(short_run)).figure.axes[0].patches
    )
    terminal = monthly_encounters_table(run)
    observed_column = list(terminal.columns[2].cells)
    assert observed_column.count("forecast") == 15 and observed_column[-1] == "forecast"
    assert len(observed_column) == 48 + 15  # observed months, then the forecast; no warm-up months
    assert "2023-09-30 are a forecast" in str(mexico_table(run).title)


def test_crossing_routes_are_those_ending_in_a_us_sector():
    assert crossing_routes(list(ROUTES)) == list(ROUTES[2:])


def test_ensemble_draws_50_and_90_percent_bands_around_the_median(short_run):
    exhibit = swb_encounters(monthly(as_members(short_run)))
    (axes,) = exhibit.figure.axes
    assert len(axes.collections) == 2  # one fill per band
    assert "MAPE FY2021-FY2023: 10.0%" in exhibit.title
    single = swb_encounters(monthly(short_run))
    assert len(single.figure.axes[0].collections) == 0


def test_every_compared_figure_caption_names_its_data_file(short_run):
    months = monthly(short_run)
    for make in FIGURES:
        caption = make(months).caption
        if make is waiting_by_border_city:
            continue
        assert re.search(r"data/\w+/\w+\.csv", caption), make.__name__


def test_report_is_one_self_contained_html_with_an_image_per_figure(run, tmp_path):
    path = write_report(run, tmp_path / "report.html", title="Synthetic check")
    text = path.read_text(encoding="utf-8")
    assert text.count("<figure><svg") == len(FIGURES) == 8  # vector figures, inline
    assert "<img" not in text
    assert not re.search(r'(src|href)="https?:', text)  # nothing fetched from the network
    assert "Synthetic check" in text and "scenario: synthetic" in text
    assert "MAPE" in text and "10.0%" in text
    mape_table = text[text.index("Fit to CBP") :].split("</table>")[0]
    assert mape_table.count("<tr") == 2  # the windows' header and the run's row, no empty row naming the index


def test_report_drawn_beside_another_thread_is_drawn_in_this_process(short_run, tmp_path):
    """A fork copies the locks other threads hold (a Dask client's, a web server's), and a child waiting on one
    never finishes: with another thread running, the figures are drawn here, all of them."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert figure_workers() == 1
        text = write_report(short_run, tmp_path / "beside.html").read_text(encoding="utf-8")
    finally:
        release.set()
        other.join()
    assert text.count("<figure><svg") == len(FIGURES)


def test_report_accepts_an_ensemble(short_run, tmp_path):
    text = write_report(as_members(short_run), tmp_path / "ensemble.html").read_text(encoding="utf-8")
    assert text.count("<figure><svg") == len(FIGURES)
    assert "10.0%" in text and "median of members" in text and "seed 13" in text


def test_report_without_observations_reads_no_data(short_run, tmp_path, monkeypatch):
    monkeypatch.setenv(observed.DATA_ENV_VAR, str(tmp_path / "nowhere"))
    text = write_report(short_run, tmp_path / "plain.html", observed=False).read_text(encoding="utf-8")
    assert text.count("<figure><svg") == len(FIGURES)
    assert "MAPE" not in text


def test_figures_have_units_thousands_separators_and_a_colour_per_border_city(run):
    months = monthly(run)
    start = pd.Timestamp(run["time"].values[0])
    finished = finish(
        waiting_by_border_city(months).figure, f"{start:%Y-%m-%d}", f"{start + pd.DateOffset(months=6):%Y-%m-%d}"
    )
    ax = finished.axes[0]
    assert sorted(str(patch.get_gid()) for patch in ax.patches) == ["None", FORECAST_GID]  # warm-up and forecast
    cities = months["border_city"].size
    assert len(set(distinct_colors(12))) == 12  # the built-in corridor's 12 cities: more than tab10 holds
    assert len({line.get_color() for line in ax.get_lines()}) == cities
    assert ax.yaxis.get_major_formatter()(1234567, 0) == "1,234,567"
    for make in FIGURES:
        figure = make(months).figure
        unit = figure.get_supylabel() or figure.axes[0].get_ylabel()
        assert re.search(r"per month|people", unit), make.__name__


def test_the_posterior_band_counts_the_observed_months_it_holds_leaving_out_months_without_a_band(short_run):
    months = monthly(short_run)
    observed_total = observed.sw_border_total().astype("float64").reindex(months.indexes["time"])
    scored = observed_total.dropna().index
    assert len(scored) >= 3
    low = observed_total * 0.9
    high = observed_total * 1.1
    high.loc[scored[0]] = observed_total.loc[scored[0]] * 0.95  # a month the band misses
    low.loc[scored[1]] = np.nan  # a month with no band
    band = xr.DataArray(
        np.stack([low.to_numpy(), observed_total.to_numpy(), high.to_numpy()], axis=1),
        coords={"time": months["time"], "level": ["5%", "median", "95%"]},
        dims=("time", "level"),
        attrs={"description": "a test band"},
    )
    caption = swb_encounters(months.assign({POSTERIOR_BAND: band})).caption
    assert f"It holds {len(scored) - 2} of the {len(scored) - 1} observed months" in caption
    assert "Green: the 90% band of a test band." in caption
