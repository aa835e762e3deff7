"""Observed public statistics, loaded as tidy monthly tables, and the fit metric.

Every loader returns pandas objects indexed by ``month`` (first day of the month) and
named in the simulator's vocabulary (group, sector, demographic names), so simulated
and observed series can be compared without translation. Provenance of each file is
in ``corridor/data/README.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.resources import data_folder

DATA_ENV_VAR = "CORRIDOR_DATA"

GROUPS = (
    "mexico",
    "guatemala",
    "honduras",
    "el_salvador",
    "nicaragua",
    "cuba",
    "haiti",
    "venezuela",
    "colombia",
    "ecuador",
    "other",
)
SECTORS = (
    "san_diego",
    "el_centro",
    "yuma",
    "tucson",
    "el_paso",
    "big_bend",
    "del_rio",
    "laredo",
    "rio_grande_valley",
)
DEMOGRAPHICS = ("single_adult", "family", "unaccompanied_child")

SWB_TOTALS_FILE = "cbp/sw_land_border_monthly_totals.csv"
OHSS_CITIZENSHIP_FILE = "cbp/usbp_ohss_monthly_region_citizenship.csv"
CBP_STATE_FILE = "cbp/cbp_nationwide_encounters_by_state_fy20_fy23.csv"
OHSS_SECTOR_FILE = "cbp/usbp_ohss_monthly_region_sector.csv"
IOM_US_MEXICO_FILE = "deaths/iom_mmp_us_mexico_border_monthly.csv"
MEXICO_PRESS_FILE = "mexico/mexico_upm_inm_figures_from_press_2019_2024.csv"
DARIEN_ANNUAL_FILE = "darien/darien_annual_by_nationality_2019_2022.csv"
DARIEN_PRESS_FILE = "darien/darien_figures_from_press_2021_2023.csv"
REPEAT_SHARES_FILE = "cbp/repeat_encounter_shares.csv"

# Last day of the observed US series (the end of sw_border_total): later simulated months are a
# forecast (corridor.results.forecast); tests/test_observed.py checks it against the file.
OBSERVED_UNTIL = pd.Timestamp("2023-09-30")

SOUTHWEST_REGION = "Southwest Land Border"
_CBP_DEMOGRAPHIC = {
    "Single Adults": "single_adult",
    "FMUA": "family",
    "Accompanied Minors": "family",
    "UC / Single Minors": "unaccompanied_child",
}
_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
# Press measures counted as Mexican apprehension events; before 2021 "presentados" was the total.
_PRESS_APPREHENSION_PREFIX = "events_"
_PRESS_DEPORTATION_MEASURE = "returned_devueltos"


def data_dir() -> Path:
    """Folder holding the observed CSVs; ``CORRIDOR_DATA`` lets tests and users point elsewhere."""
    override = os.environ.get(DATA_ENV_VAR)
    return Path(override) if override else data_folder()


def _read_csv(relative_path: str, **read_options) -> pd.DataFrame:
    """Read one data file, failing with a message that says where it was looked for."""
    path = data_dir() / relative_path
    if not path.is_file():
        raise FileNotFoundError(
            f"observed data file {relative_path!r} not found at {path}; "
            f"copy it into the package's corridor/data/ folder or set {DATA_ENV_VAR} to a folder holding it"
        )
    return pd.read_csv(path, **read_options)


def _monthly_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Index a file that has a ``month_start`` column by month."""
    frame = frame.assign(month=pd.to_datetime(frame["month_start"]))
    return frame.drop(columns="month_start").set_index("month").sort_index()


def _by_category(frame: pd.DataFrame, category: str, count: str, order: tuple[str, ...]) -> pd.DataFrame:
    """Sum counts to a month x category table with a column for every name in ``order``."""
    table = frame.groupby(["month", category])[count].sum().unstack(fill_value=0)
    unknown = set(table.columns) - set(order)
    if unknown:
        raise ValueError(f"unexpected {category} values {sorted(unknown)}")
    table = table.reindex(columns=list(order), fill_value=0)
    table.columns.name = category
    return table


def fiscal_year_of(dates: pd.Index) -> pd.Index:
    """US fiscal year of each date (October starts the next fiscal year)."""
    months = pd.DatetimeIndex(dates)
    return pd.Index(months.year + (months.month >= 10), name="fiscal_year")


def fiscal_year_window(fy_start: int, fy_end: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Inclusive date bounds of fiscal years ``fy_start``..``fy_end``, usable for slicing
    monthly or daily indexes (1 Oct of fy_start-1 to 30 Sep of fy_end)."""
    return pd.Timestamp(fy_start - 1, 10, 1), pd.Timestamp(fy_end, 9, 30)


def sw_border_total() -> pd.Series:
    """CBP Southwest Land Border total encounters per month, Oct 2019 – Sep 2023: the headline
    series the model is fitted against."""
    totals = _monthly_index(_read_csv(SWB_TOTALS_FILE))
    return totals["sw_total_encounters"].dropna().astype("int64")


def sw_border_by_authority() -> pd.DataFrame:
    """SWB encounters split into Title 8 and Title 42, to check the expulsion policy phase."""
    totals = _monthly_index(_read_csv(SWB_TOTALS_FILE))
    by_authority = totals[["sw_title8", "sw_title42"]].dropna().astype("int64")
    by_authority.columns = pd.Index(["title8", "title42"], name="authority")
    return by_authority


def usbp_sw_total() -> pd.Series:
    """US Border Patrol Southwest-border encounters per month (DHS OHSS, rounded to 10), which
    cover January 2019 on, before CBP's own split of Border Patrol and ports begins."""
    totals = _monthly_index(_read_csv(SWB_TOTALS_FILE))
    return totals["sw_usbp_ohss_rounded"].dropna().astype("int64")


def ofo_sw_total() -> pd.Series:
    """Encounters at Southwest-border ports of entry (CBP Office of Field Operations) per month:
    CBP's own figure where it splits its total (October 2021 on), before that the total less
    Border Patrol's OHSS count (from October 2019, within OHSS's rounding to 10)."""
    totals = _monthly_index(_read_csv(SWB_TOTALS_FILE))
    derived = totals["sw_total_encounters"] - totals["sw_usbp_ohss_rounded"]
    return totals["sw_ofo_cbp"].fillna(derived).dropna().astype("int64")


def usbp_by_group() -> pd.DataFrame:
    """US Border Patrol Southwest-border encounters per month by the model's nationality groups
    (DHS OHSS, January 2019 on; countries the model does not track go to other)."""
    rows = _monthly_index(_read_csv(OHSS_CITIZENSHIP_FILE)).reset_index()
    rows = rows[rows["region"] == SOUTHWEST_REGION]
    rows = rows.assign(group=rows["citizenship"].map(_citizenship_group))
    return _by_category(rows, "group", "encounters", GROUPS)


def _cbp_southwest_rows() -> pd.DataFrame:
    """SWB rows of the CBP state file with a calendar ``month`` column (OCT–DEC belong to FY-1)."""
    rows = _read_csv(CBP_STATE_FILE)
    rows = rows[rows["Land Border Region"] == SOUTHWEST_REGION]
    month_number = rows["Month (abbv)"].map(_MONTH_NUMBER)
    year = rows["Fiscal Year"] - (month_number >= 10)
    return rows.assign(month=pd.to_datetime({"year": year, "month": month_number, "day": 1}))


def _citizenship_group(citizenship: str) -> str:
    """CBP citizenship label -> model group name; countries the model does not track go to other."""
    name = citizenship.strip().lower().replace(" ", "_")
    return name if name in GROUPS else "other"


def sw_border_by_group() -> pd.DataFrame:
    """SWB encounters per month by the model's nationality groups (CBP state file)."""
    rows = _cbp_southwest_rows()
    rows = rows.assign(group=rows["Citizenship"].map(_citizenship_group))
    return _by_category(rows, "group", "Encounter Count", GROUPS)


def ofo_by_group() -> pd.DataFrame:
    """SWB encounters at ports per month by nationality group: the CBP state file's SWB encounters (every
    component) less DHS OHSS Border Patrol ones, in the months both cover (October 2019 on); the two count
    within OHSS's rounding to 10 of each other, so a difference below 0 is 0."""
    every_component, border_patrol = sw_border_by_group(), usbp_by_group()
    months = every_component.index.intersection(border_patrol.index)
    return (every_component.loc[months] - border_patrol.loc[months]).clip(lower=0)


def sw_border_by_demographic() -> pd.DataFrame:
    """SWB encounters per month by demographic; accompanied minors travel with families."""
    rows = _cbp_southwest_rows()
    rows = rows.assign(demographic=rows["Demographic"].replace(_CBP_DEMOGRAPHIC))
    return _by_category(rows, "demographic", "Encounter Count", DEMOGRAPHICS)


def title42_shares(demographic: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Share of a demographic's SWB encounters expelled under Title 42, per month and group, and
    the encounters it is a share of (CBP state file; a share of few encounters is noisy)."""
    rows = _cbp_southwest_rows()
    rows = rows[rows["Demographic"].replace(_CBP_DEMOGRAPHIC) == demographic]
    rows = rows.assign(group=rows["Citizenship"].map(_citizenship_group))
    encounters = _by_category(rows, "group", "Encounter Count", GROUPS)
    expelled = _by_category(rows[rows["Title of Authority"] == "Title 42"], "group", "Encounter Count", GROUPS)
    expelled = expelled.reindex(encounters.index, fill_value=0)
    return expelled / encounters.where(encounters > 0), encounters


def _sector_name(ohss_sector: str) -> str:
    """OHSS label such as 'Rio Grande Valley, TX' -> 'rio_grande_valley'."""
    return ohss_sector.split(",")[0].strip().lower().replace(" ", "_")


def usbp_by_sector() -> pd.DataFrame:
    """USBP SWB encounters per month by Border Patrol sector (DHS OHSS, rounded to 10).
    USBP only — no OFO port-of-entry encounters — so compare with the model's usbp component."""
    rows = _monthly_index(_read_csv(OHSS_SECTOR_FILE)).reset_index()
    rows = rows[rows["region"] == SOUTHWEST_REGION]
    rows = rows.assign(sector=rows["sector"].map(_sector_name))
    return _by_category(rows, "sector", "encounters", SECTORS)


def us_mexico_border_deaths() -> pd.Series:
    """People recorded dead or missing per month on IOM's US–Mexico border-crossing route
    (a minimum count; 2024 incomplete)."""
    deaths = _monthly_index(_read_csv(IOM_US_MEXICO_FILE))
    return deaths["dead_and_missing"]


def mexico_press_figures() -> pd.DataFrame:
    """Mexican apprehension/return figures quoted in the press; mixed periods, so kept as a
    table of (period_start, period_end, measure, breakdown, value) rather than a series."""
    return _read_csv(MEXICO_PRESS_FILE, parse_dates=["period_start", "period_end"])


def mexico_press_totals() -> pd.DataFrame:
    """National press totals of Mexican apprehensions ('eventos' or 'presentados') and
    deportations ('devueltos'), one row per quoted figure: period_start, period_end, kind
    ('apprehensions' or 'deportations'), value, months (calendar months the period spans),
    indexed by the figure's data row in the file. INM and UPM counts of the same events differ
    by about 2x (corridor/data/README.md)."""
    press = mexico_press_figures()
    press = press[press["breakdown"] == "total"]
    measure = press["measure"]
    kind = np.select(
        [measure.str.startswith(_PRESS_APPREHENSION_PREFIX), measure == _PRESS_DEPORTATION_MEASURE],
        ["apprehensions", "deportations"],
        default="",
    )
    press = press.assign(kind=kind)[kind != ""]
    start, end = press["period_start"], press["period_end"]
    return pd.DataFrame(
        {
            "period_start": start,
            "period_end": end,
            "kind": press["kind"],
            "value": press["value"],
            "months": _months_spanned(start, end),
        }
    )


def darien_transits() -> pd.DataFrame:
    """People crossing the Darien into Panama (Panama's SNM): the calendar years of the annual
    file, then the 2023 totals quoted in the press over their own periods. Columns as
    :func:`mexico_press_totals` (kind 'transits')."""
    annual = _read_csv(DARIEN_ANNUAL_FILE).groupby("year")["total"].sum()
    years = pd.DataFrame(
        {
            "period_start": pd.to_datetime([f"{year}-01-01" for year in annual.index]),
            "period_end": pd.to_datetime([f"{year}-12-31" for year in annual.index]),
            "value": annual.to_numpy(),
            "months": 12,
        }
    )
    press = _read_csv(DARIEN_PRESS_FILE, parse_dates=["period_start", "period_end"])
    press = press[(press["breakdown"] == "total") & ~press["period_start"].dt.year.isin(annual.index)]
    start, end = press["period_start"], press["period_end"]
    quoted = pd.DataFrame(
        {"period_start": start, "period_end": end, "value": press["value"], "months": _months_spanned(start, end)}
    )
    return pd.concat([years, quoted], ignore_index=True).assign(kind="transits")


def repeat_encounter_shares() -> pd.DataFrame:
    """The share of Border Patrol encounters that were repeat encounters, per quoted fiscal year (a secondary
    summary of CBP figures, corridor/data/README.md). Columns as :func:`mexico_press_totals` (kind 'repeat_share')."""
    shares = _read_csv(REPEAT_SHARES_FILE, parse_dates=["period_start", "period_end"])
    start, end = shares["period_start"], shares["period_end"]
    return pd.DataFrame(
        {"period_start": start, "period_end": end, "value": shares["value"], "months": _months_spanned(start, end)}
    ).assign(kind="repeat_share")


def _months_spanned(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar months a quoted period touches, both ends included."""
    return (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1


def mexico_press_monthly_rates() -> pd.DataFrame:
    """The press totals as an average per month over their quoted period, so they can sit on a
    monthly chart. Columns: period_start, period_end, midpoint, kind, per_month."""
    totals = mexico_press_totals()
    start, end = totals["period_start"], totals["period_end"]
    return pd.DataFrame(
        {
            "period_start": start,
            "period_end": end,
            "midpoint": start + (end - start) / 2,
            "kind": totals["kind"],
            "per_month": totals["value"] / totals["months"],
        }
    )


def mape(
    simulated: pd.Series,
    observed: pd.Series,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
) -> float:
    """Mean absolute percentage error (percent) of ``simulated`` against ``observed`` over the
    months both cover with a positive observation, optionally limited to ``start``..``end``.
    Returns NaN when no month qualifies, so a run that misses a window reads as "no score"."""
    both = pd.concat({"simulated": simulated, "observed": observed}, axis=1, join="inner").sort_index()
    both = both.loc[start:end].dropna()
    both = both[both["observed"] > 0]
    if both.empty:
        return float("nan")
    return float((np.abs(both["simulated"] - both["observed"]) / both["observed"]).mean() * 100)
