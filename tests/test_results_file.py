"""Results describe themselves: units, meaning and stock/flow mark on every variable, the run's
provenance in the attrs, places located, files compressed, and a what-if's overrides in the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import xarray as xr

from corridor import simulate
from corridor.models.flee.simulate import simulate_flee
from corridor.report import write_report
from corridor.results.dataset import load, save
from corridor.results.provenance import corridor_version
from corridor.scenario.load import load_scenario

OVERRIDES = {"title42.active": 0.0, "border.city_enforcement": {"Tijuana": 2.0}}
MALI = Path(__file__).resolve().parent / "data" / "flee" / "mali2012"


@pytest.fixture(scope="module")
def what_if(fy2022) -> xr.Dataset:
    return simulate(fy2022, seed=5, overrides=OVERRIDES)


@pytest.fixture(scope="module")
def saved(what_if, tmp_path_factory) -> Path:
    return save(what_if, tmp_path_factory.mktemp("results") / "results.nc")


def test_every_variable_has_a_unit_a_meaning_and_a_stock_or_flow_mark(saved):
    ds = xr.open_dataset(saved)  # plain xarray, no corridor code
    for name, variable in ds.data_vars.items():
        assert variable.attrs["units"] and variable.attrs["long_name"], name
        assert variable.attrs["cell_methods"] in ("time: sum", "time: point"), name
    assert ds["encounters"].attrs["cell_methods"] == "time: sum"
    assert ds["waiting"].attrs["cell_methods"] == "time: point"
    for name in ("time", "sector", "group", "place", "border_city", "route", "lat", "lon"):
        assert ds[name].attrs["long_name"], name
    assert ds["lat"].attrs["units"] == "degrees_north" and ds["lon"].attrs["units"] == "degrees_east"
    tapachula = ds.sel(place="Tapachula")
    assert 14 < float(tapachula["lat"]) < 15.5 and -93 < float(tapachula["lon"]) < -92


def test_attrs_name_the_run(saved, fy2022):
    attrs = xr.open_dataset(saved).attrs
    assert json.loads(attrs["overrides"]) == OVERRIDES
    assert (attrs["scenario"], attrs["seed"], attrs["scale"]) == ("us_mexico", 5, 0.02)
    assert (attrs["start"], attrs["end"], attrs["report_start"]) == ("2021-10-01", "2022-09-30", "2021-10-01")
    assert attrs["scenario_sha256"] == load_scenario(fy2022).content_sha256()
    assert attrs["corridor_version"] == corridor_version() != ""
    assert attrs["ruleset"] == "us_mexico" and attrs["date_created"].startswith("20")


def test_a_run_without_overrides_records_none(fy2022):
    assert json.loads(simulate(fy2022, seed=5).attrs["overrides"]) == {}


def test_the_file_reads_back_identically(what_if, saved):
    back = load(saved)
    xr.testing.assert_identical(back, what_if.assign_attrs(date_created=back.attrs["date_created"]))


def test_the_file_is_compressed(what_if, saved, tmp_path):
    """Against the same Dataset written uncompressed (NetCDF3, as before)."""
    plain = tmp_path / "plain.nc"
    what_if.to_netcdf(plain, engine="scipy")
    assert plain.stat().st_size > 10 * saved.stat().st_size


def test_scenario_hash_follows_what_the_run_reads_not_the_folder(fy2022, tmp_path):
    original = load_scenario(fy2022).content_sha256()
    copy = shutil.copytree(fy2022, tmp_path / "elsewhere")
    (copy / "EVIDENCE.md").write_text("a note the run never reads")
    assert load_scenario(copy).content_sha256() == original
    places = (copy / "places.csv").read_text()
    (copy / "places.csv").write_text(places.replace("14.634,-90.506", "14.635,-90.506"))
    assert load_scenario(copy).content_sha256() != original
    assert load_scenario(fy2022).data_known_by("2022-03-31").content_sha256() != original


def test_report_header_shows_the_overrides(what_if, tmp_path):
    text = write_report(what_if, tmp_path / "report.html", observed=False).read_text(encoding="utf-8")
    assert "title42.active = 0.0" in text and "border.city_enforcement = {&#34;Tijuana&#34;: 2.0}" in text
    assert "2021-10-01 to 2022-09-30" in text


def test_flee_results_describe_themselves(tmp_path):
    ds = simulate_flee(MALI, seed=3, days=20)
    back = load(save(ds, tmp_path / "flee.nc"))
    for name, variable in back.data_vars.items():
        assert variable.attrs["units"] and variable.attrs["long_name"] and variable.attrs["cell_methods"], name
    assert back.attrs["ruleset"] == "flee" and back.attrs["seed"] == 3 and back.attrs["end"] == "2012-03-19"
    assert len(back.attrs["scenario_sha256"]) == 64
    assert back["lat"].attrs["units"] == "degrees_north" and (back["lat"] != 0).all()
