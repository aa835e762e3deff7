"""The US–Mexico bargain: the two governments as agents with reaction functions, week by week.

A two-level game (Putnam 1988) with issue linkage (Tollison & Willett 1979), written as a pair of
Richardson-type reaction functions (partial adjustment towards a target). The US side's pressure on
migration follows the salience of border encounters, higher in election seasons, plus coercive moves
from the record; the more it presses on migration, the more it spares Mexico on the other issues
(public criticism over organised crime). Mexico's effort is the optimum of a benefit linear in
pressure (worth more with engagement and goodwill, less with grievance) against a convex domestic cost
that rises in Mexico's own election seasons and without bound at capacity; it rises fast, decays
slowly, and never falls below a floor. Security cooperation and extraditions follow grievance. The
record (:mod:`corridor.models.us_mexico.bilateral_record`) enters as impulses; effort is never set
by hand. Equations, sources and limits: docs/bilateral.md.

Pure numpy/float code with no engine dependency: the bilateral phase calls :func:`step` (or
:class:`Bargain`) once a week with the simulated encounters of the last 30 days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from corridor.levers import Lever
from corridor.models.us_mexico.bilateral_record import CHANNEL_UNITS, BilateralRecord, read_record

WEEK_DAYS = 7.0
PRIOR = "prior, to be fitted"
NYT_2024 = (
    "New York Times-derived report, late Feb/early Mar 2024, "
    "'Who could influence the outcome of the US elections? The president of Mexico'"
)
CNN_2021 = "CNN, early Oct 2021, 'Biden seeks to repair America's frayed relationship with Mexico'"
REUTERS_2021 = "Reuters, 8 Oct 2021, 'Blinken meets Lopez Obrador to ease thorny US-Mexico relations'"
LPO_2021 = (
    "LPO, late Aug/early Sep 2021, "
    "'Despite worries of narco-elections in Mexico, White House vows to do nothing, for now'"
)

LEVERS = [
    Lever(
        "bargain.encounter_reference",
        50_000.0,
        "encounters per 30 days",
        "USBP southwest-border apprehensions Oct 2018-Jan 2019, about 50,400 a month "
        "(corridor/data/cbp/sw_land_border_monthly_totals.csv)",
        "encounters at which border salience is 1 (the early-2019 level)",
        lo=1,
        hi=1e7,
    ),
    Lever(
        "bargain.salience_pressure",
        0.3,
        "pressure per unit salience",
        f"{PRIOR}; {NYT_2024}",
        "US pressure on migration at salience 1 outside election seasons",
        hi=10,
    ),
    Lever(
        "bargain.season_gain",
        1.0,
        "fraction",
        f"{PRIOR}; {NYT_2024}; {CNN_2021} (2020 campaign fears)",
        "extra pressure on election day of a season of weight 1 (1 = pressure doubles)",
        hi=10,
    ),
    Lever(
        "bargain.season_lead_days",
        240.0,
        "days",
        f"{PRIOR} (primaries to election day)",
        "how long before an election its salience starts to rise",
        lo=7,
        hi=730,
    ),
    Lever(
        "bargain.pressure_days",
        30.0,
        "days",
        f"{PRIOR} (encounters are read over 30 days)",
        "e-folding time of US pressure towards its salience target",
        lo=1,
        hi=365,
    ),
    Lever(
        "bargain.coercion_days",
        90.0,
        "days",
        "US-Mexico Joint Declaration 7 Jun 2019 (90-day review)",
        "e-folding time of a coercive threat (tariffs, leader-level demand)",
        lo=1,
        hi=1095,
    ),
    Lever(
        "bargain.engagement_days",
        120.0,
        "days",
        f"{PRIOR}; {NYT_2024} (enforcement not sustained)",
        "e-folding time of a delegation's engagement",
        lo=1,
        hi=1095,
    ),
    Lever(
        "bargain.engagement_gain",
        1.0,
        "fraction per unit engagement",
        f"{PRIOR}; {NYT_2024} (call, delegation, then policing)",
        "how much a delegation multiplies the effort that pressure buys",
        hi=10,
    ),
    Lever(
        "bargain.effort_floor",
        0.7,
        "index (1 = early 2019)",
        f"{NYT_2024} (Lopez Obrador: Mexico keeps guarding the border regardless)",
        "effort Mexico keeps without any US pressure",
        hi=10,
    ),
    Lever(
        "bargain.effort_capacity",
        5.0,
        "index (1 = early 2019)",
        f"{NYT_2024} (officials say they reached the limit); personnel about tenfold since 2022",
        "effort ceiling: the marginal cost of effort grows without bound towards it",
        lo=1,
        hi=50,
    ),
    Lever(
        "bargain.effort_cost",
        1.0,
        "pressure per effort index",
        f"{PRIOR} (budget, personnel, sovereignty)",
        "Mexico's marginal cost of effort just above the floor, in units of US pressure",
        lo=0.01,
        hi=100,
    ),
    Lever(
        "bargain.election_cost",
        0.5,
        "fraction",
        f"{PRIOR}; {NYT_2024} (Mexican officials: doing the US's dirty work)",
        "extra domestic cost of effort on the day of a Mexican election of weight 1",
        hi=10,
    ),
    Lever(
        "bargain.effort_rise_days",
        14.0,
        "days",
        "National Guard deployed within weeks of the 7 Jun 2019 declaration (Library of Congress GLM, 17 Jun 2019)",
        "e-folding time of effort rising towards its target",
        lo=1,
        hi=365,
    ),
    Lever(
        "bargain.effort_decay_days",
        150.0,
        "days",
        f"{NYT_2024} (enforcement not sustained); as mexico.effort_decay_days",
        "e-folding time of effort falling towards its target",
        lo=1,
        hi=3650,
    ),
    Lever(
        "bargain.grievance_weight",
        0.5,
        "per unit grievance",
        f"{PRIOR}; {CNN_2021} (threat to leave migration deals)",
        "fraction of effort's benefit lost per unit of grievance (goodwill adds)",
        hi=10,
    ),
    Lever(
        "bargain.grievance_days",
        240.0,
        "days",
        f"{REUTERS_2021} (ties not back to normal a year later)",
        "e-folding time of grievance towards its target",
        lo=1,
        hi=3650,
    ),
    Lever(
        "bargain.criticism_baseline",
        0.3,
        "criticism units",
        f"{PRIOR}; {LPO_2021}",
        "US public criticism over organised crime when it spares nothing for migration",
        hi=10,
    ),
    Lever(
        "bargain.accommodation",
        0.5,
        "per unit pressure",
        f"{LPO_2021} (US silent to keep migration help)",
        "how much each unit of pressure on migration lowers criticism on the other issues",
        hi=10,
    ),
    Lever("bargain.criticism_days", 60.0, "days", PRIOR, "e-folding time of criticism", lo=1, hi=1095),
    Lever(
        "bargain.criticism_grievance",
        1.0,
        "grievance per criticism unit",
        f"{PRIOR}; {LPO_2021}",
        "grievance that US public criticism causes in Mexico",
        hi=10,
    ),
    Lever(
        "bargain.aid_goodwill",
        0.1,
        "grievance per US$100M",
        f"Global Research/InfoBrics, 9 Jun 2021; {NYT_2024} (Lopez Obrador presses for root-cause aid)",
        "goodwill of development aid pledged",
        hi=10,
    ),
    Lever(
        "bargain.aid_days",
        365.0,
        "days",
        "Mexico News Daily 2020 (pledges slow to arrive)",
        "e-folding time of aid goodwill",
        lo=1,
        hi=3650,
    ),
    Lever(
        "bargain.vaccine_goodwill",
        0.1,
        "grievance per million doses",
        "Global Research/InfoBrics, 9 Jun 2021",
        "goodwill of vaccine doses delivered",
        hi=10,
    ),
    Lever("bargain.vaccine_days", 180.0, "days", PRIOR, "e-folding time of vaccine goodwill", lo=1, hi=3650),
    Lever(
        "bargain.cooperation_grievance",
        0.5,
        "index per unit grievance",
        f"{CNN_2021}; {REUTERS_2021}",
        "fall of security cooperation per unit of grievance",
        hi=10,
    ),
    Lever(
        "bargain.cooperation_days",
        365.0,
        "days",
        f"{CNN_2021} (cooperation lowest in two decades a year on)",
        "e-folding time of security cooperation",
        lo=1,
        hi=3650,
    ),
    Lever(
        "bargain.extradition_days",
        180.0,
        "days",
        f"{CNN_2021} (extraditions stopped after Jan 2021)",
        "e-folding time of extraditions towards the level cooperation gives",
        lo=1,
        hi=3650,
    ),
]
DEFAULTS = {lever.name.removeprefix("bargain."): lever.default for lever in LEVERS}

STATE = (
    "salience_pressure",
    "coercion",
    "us_pressure",
    "engagement",
    "effort",
    "security_cooperation",
    "extraditions",
    "aid",
    "vaccines",
    "criticism",
    "grievance",
)
STATE_INDEX = {name: index for index, name in enumerate(STATE)}
assert {target for target, _ in CHANNEL_UNITS.values() if target} <= set(STATE)


def parameters(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Lever values by short name (without 'bargain.'); overrides use the full lever names."""
    values = dict(DEFAULTS)
    for name, value in (overrides or {}).items():
        values[name.removeprefix("bargain.")] = float(value)
    return values


def _relax(value: float, target: float, days: float) -> float:
    """One week of partial adjustment of value towards target with e-folding time ``days``."""
    return target + (value - target) * math.exp(-WEEK_DAYS / days)


def effort_target(
    p: Mapping[str, float], pressure: float, engagement: float, grievance: float, mexico_season: float
) -> float:
    """Mexico's best effort: benefit pressure*(1+g*D)*w per unit effort against marginal cost
    c*(1+k*s)*R*(-ln(1 - x/R)) for x = effort above floor and R = capacity - floor (see docs)."""
    willingness = max(0.0, 1.0 - p["grievance_weight"] * grievance)
    cost = p["effort_cost"] * (1.0 + p["election_cost"] * mexico_season)
    drive = pressure * (1.0 + p["engagement_gain"] * engagement) * willingness / cost
    room = p["effort_capacity"] - p["effort_floor"]
    return p["effort_floor"] + room * (1.0 - math.exp(-drive / room))


def step(
    state: np.ndarray,
    p: Mapping[str, float],
    encounters_30d: float,
    us_season: float,
    mexico_season: float,
    impulses: np.ndarray,
) -> np.ndarray:
    """The state a week later: impulses of the record enter first, then both governments react."""
    x = state + impulses
    coercion = max(x[STATE_INDEX["coercion"]], 0.0) * math.exp(-WEEK_DAYS / p["coercion_days"])
    engagement = max(x[STATE_INDEX["engagement"]], 0.0) * math.exp(-WEEK_DAYS / p["engagement_days"])
    salience = encounters_30d / p["encounter_reference"]
    salience_pressure = _relax(
        x[STATE_INDEX["salience_pressure"]],
        p["salience_pressure"] * salience * (1.0 + p["season_gain"] * us_season),
        p["pressure_days"],
    )
    pressure = salience_pressure + coercion
    criticism = _relax(
        x[STATE_INDEX["criticism"]],
        p["criticism_baseline"] * max(0.0, 1.0 - p["accommodation"] * pressure),
        p["criticism_days"],
    )
    aid = x[STATE_INDEX["aid"]] * math.exp(-WEEK_DAYS / p["aid_days"])
    vaccines = x[STATE_INDEX["vaccines"]] * math.exp(-WEEK_DAYS / p["vaccine_days"])
    grievance = _relax(
        x[STATE_INDEX["grievance"]],
        p["criticism_grievance"] * criticism - p["aid_goodwill"] * aid - p["vaccine_goodwill"] * vaccines,
        p["grievance_days"],
    )
    cooperation = _relax(
        x[STATE_INDEX["security_cooperation"]],
        max(0.0, 1.0 - p["cooperation_grievance"] * grievance),
        p["cooperation_days"],
    )
    extraditions = _relax(x[STATE_INDEX["extraditions"]], cooperation, p["extradition_days"])
    target = effort_target(p, pressure, engagement, grievance, mexico_season)
    effort = _relax(
        x[STATE_INDEX["effort"]],
        target,
        p["effort_rise_days"] if target > x[STATE_INDEX["effort"]] else p["effort_decay_days"],
    )
    new = np.empty(len(STATE))
    for name, value in (
        ("salience_pressure", salience_pressure),
        ("coercion", coercion),
        ("us_pressure", pressure),
        ("engagement", engagement),
        ("effort", effort),
        ("security_cooperation", cooperation),
        ("extraditions", extraditions),
        ("aid", aid),
        ("vaccines", vaccines),
        ("criticism", criticism),
        ("grievance", grievance),
    ):
        new[STATE_INDEX[name]] = value
    return new


def steady_state(p: Mapping[str, float], encounters_30d: float, weeks: int = 520) -> np.ndarray:
    """Where the bargain settles under constant encounters and no events: the starting state."""
    state = np.zeros(len(STATE))
    state[STATE_INDEX["effort"]] = p["effort_floor"]
    state[STATE_INDEX["security_cooperation"]] = state[STATE_INDEX["extraditions"]] = 1.0
    quiet = np.zeros(len(STATE))
    for _ in range(weeks):
        state = step(state, p, encounters_30d, 0.0, 0.0, quiet)
    return state


class Bargain:
    """The bargain advanced week by week over a record: what the bilateral phase holds."""

    def __init__(self, record: BilateralRecord, p: Mapping[str, float], first_week: dt.date, encounters_30d: float):
        self.record, self.p = record, p
        self.week = first_week
        self.state = steady_state(p, encounters_30d)

    def advance(self, encounters_30d: float) -> np.ndarray:
        """Apply the record's events of the coming week and both reactions; return the new state."""
        end = self.week + dt.timedelta(days=WEEK_DAYS)
        totals = self.record.impulses(self.week, end)
        impulses = np.array([totals.get(name, 0.0) for name in STATE])
        lead = self.p["season_lead_days"]
        self.state = step(
            self.state,
            self.p,
            encounters_30d,
            self.record.season("us_election", self.week, lead),
            self.record.season("mexico_election", self.week, lead),
            impulses,
        )
        self.week = end
        return self.state


def simulate(
    record: BilateralRecord,
    start: dt.date,
    end: dt.date,
    encounters_30d: Callable[[dt.date], float],
    overrides: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The bargain alone from start to end: one row per week (dated at its end), one column per state variable."""
    p = parameters(overrides)
    bargain = Bargain(record, p, start, encounters_30d(start))
    rows, dates = [], []
    while bargain.week < end:
        rows.append(bargain.advance(encounters_30d(bargain.week)))
        dates.append(pd.Timestamp(bargain.week))
    return pd.DataFrame(np.array(rows), index=pd.DatetimeIndex(dates, name="week_end"), columns=list(STATE))


def effort_table(start: dt.date = dt.date(2019, 1, 1), end: dt.date = dt.date(2024, 12, 31)) -> pd.DataFrame:
    """Monthly means of the main state variables the record produces with encounters flat at the reference."""
    flat = DEFAULTS["encounter_reference"]
    path = simulate(read_record(), start, end, lambda day: flat)
    path = path[path.index <= pd.Timestamp(end)]
    columns = ["us_pressure", "effort", "grievance", "security_cooperation", "extraditions", "criticism"]
    return path[columns].resample("MS").mean()


if __name__ == "__main__":
    print(effort_table().round(2).to_string())
