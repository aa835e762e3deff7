"""The observed-data loaders reproduce CBP's published figures, and the fit metric is right."""

import pandas as pd
import pytest

from corridor import observed

# CBP's published Southwest Land Border totals (corridor/data/README.md).
PUBLISHED_SWB_TOTAL = {2021: 1_734_686, 2022: 2_378_944, 2023: 2_475_669}
# FY2022 USBP Southwest sector totals from DHS OHSS, whose months are rounded to 10.
OHSS_FY2022_SECTOR = {
    "del_rio": 480_940,
    "rio_grande_valley": 468_120,
    "yuma": 310_110,
    "el_paso": 307_850,
    "tucson": 252_000,
    "san_diego": 176_290,
    "laredo": 106_850,
    "el_centro": 72_400,
    "big_bend": 31_960,
}
ROUNDING_PER_MONTH = 10


def fiscal_year_totals(table: pd.DataFrame) -> pd.Series:
    return table.sum(axis=1).groupby(observed.fiscal_year_of(table.index)).sum()


@pytest.mark.parametrize("loader", [observed.sw_border_by_group, observed.sw_border_by_demographic])
def test_breakdowns_reproduce_published_fiscal_year_totals(loader):
    totals = fiscal_year_totals(loader())
    for year, published in PUBLISHED_SWB_TOTAL.items():
        assert totals[year] == published


def test_total_series_covers_fy2020_to_fy2023_and_matches_breakdowns():
    total = observed.sw_border_total()
    assert total.index[0] == pd.Timestamp("2019-10-01")
    assert total.index[-1] == pd.Timestamp("2023-09-01")  # held-out months stay out
    # results call every later day a forecast
    assert total.index[-1] + pd.offsets.MonthEnd(0) == observed.OBSERVED_UNTIL
    assert len(total) == 48
    pd.testing.assert_series_equal(
        observed.sw_border_by_group().sum(axis=1), total, check_names=False, check_freq=False
    )
    pd.testing.assert_series_equal(
        observed.sw_border_by_authority().sum(axis=1), total, check_names=False, check_freq=False
    )


def test_group_mapping_keeps_named_countries_and_pools_the_rest():
    groups = observed.sw_border_by_group()
    assert tuple(groups.columns) == observed.GROUPS
    fy2023 = groups.loc[slice(*observed.fiscal_year_window(2023, 2023))].sum()
    # Quoted names with commas ("CHINA, PEOPLES REPUBLIC OF") must land in other, not break parsing.
    assert fy2023["other"] > fy2023["haiti"] > 0
    assert fy2023["mexico"] == fy2023.max()


def test_title42_ends_with_may_2023():
    authority = observed.sw_border_by_authority()
    assert authority.loc["2020-02-01", "title42"] == 0
    assert authority.loc["2021-03-01", "title42"] > 0
    assert (authority.loc["2023-06-01":, "title42"] == 0).all()


def test_sector_sums_match_ohss_fy2022_within_rounding():
    sectors = observed.usbp_by_sector()
    assert tuple(sectors.columns) == observed.SECTORS
    fy2022 = sectors.loc[slice(*observed.fiscal_year_window(2022, 2022))]
    assert len(fy2022) == 12
    for sector, published in OHSS_FY2022_SECTOR.items():
        assert fy2022[sector].sum() == pytest.approx(published, abs=12 * ROUNDING_PER_MONTH)


def test_sectors_add_up_to_usbp_share_of_swb_total():
    sectors = observed.usbp_by_sector().sum(axis=1)
    fy2022 = sectors.loc[slice(*observed.fiscal_year_window(2022, 2022))].sum()
    cbp_usbp_fy2022 = 2_206_436  # CBP's unrounded USBP SWB encounters, FY2022
    assert fy2022 == pytest.approx(cbp_usbp_fy2022, abs=12 * len(observed.SECTORS) * ROUNDING_PER_MONTH)


def test_deaths_series_is_monthly_and_matches_iom_yearly_totals():
    deaths = observed.us_mexico_border_deaths()
    yearly = deaths.groupby(deaths.index.year).sum()
    assert yearly[2021] == 734 and yearly[2022] == 689 and yearly[2023] == 636


def test_press_rates_spread_quoted_totals_over_their_months():
    rates = observed.mexico_press_monthly_rates()
    year_2019 = rates[(rates["period_start"] == "2019-01-01") & (rates["period_end"] == "2019-12-31")]
    assert year_2019["per_month"].iloc[0] == pytest.approx(182_940 / 12)
    assert set(rates["kind"]) == {"apprehensions", "deportations"}
    assert pd.api.types.is_datetime64_any_dtype(observed.mexico_press_figures()["period_start"])


def test_fiscal_year_window_spans_october_to_september():
    start, end = observed.fiscal_year_window(2021, 2023)
    assert start == pd.Timestamp("2020-10-01") and end == pd.Timestamp("2023-09-30")
    assert len(observed.sw_border_total().loc[start:end]) == 36


def test_mape_is_zero_against_itself_and_ten_for_ten_percent_over():
    series = observed.sw_border_total().astype(float)
    assert observed.mape(series, series) == 0
    assert observed.mape(series * 1.1, series) == pytest.approx(10)


def test_mape_ignores_unmatched_and_zero_months_and_honours_window():
    months = pd.date_range("2021-01-01", periods=4, freq="MS")
    observed_series = pd.Series([0.0, 100.0, 100.0, 100.0], index=months)
    simulated = pd.Series([5.0, 150.0, 120.0], index=months[:3])
    assert observed.mape(simulated, observed_series) == pytest.approx(35)
    assert observed.mape(simulated, observed_series, start="2021-03-01") == pytest.approx(20)
    assert pd.isna(observed.mape(simulated, observed_series, start="2021-04-01"))


def test_missing_file_names_file_and_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv(observed.DATA_ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"sw_land_border_monthly_totals\.csv") as raised:
        observed.sw_border_total()
    assert observed.DATA_ENV_VAR in str(raised.value)
