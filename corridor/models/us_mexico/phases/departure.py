"""Departures: people leaving each origin, from push factors and the pull of expected outcomes.

Daily departures of group g from origin row r, demographic d:
  daily_departures[g] x group_scale[g] x share[r] x demographic share[r, d] x push[t, g]
  x seasonality[month] x pull(t) x network(t) x deterrence(t) x aid(t - lag)
with push[t, g] = exp(sum over origin conditions c of effect[c] x intensity[t, g, c]): drivers.csv dates
each condition at home (lockdowns, hurricanes, crises) and how much of it is in force; its effect is a
lever, fitted with the rest, so no US or Mexican policy and no level set by eye enters as a push.
Pull rises with the share of the group's US encounters heard to be released into the country and
with the expected years in the asylum backlog (The New York Times, late Feb/early Mar 2024); the network
grows with the group's people released into the US during the run (relatives and friends who help the next
ones: Massey et al. 1993), so a nationality that starts to be released sets more of its people on the road; and
deterrence falls as a larger share of what the group heard of journeys tells of apprehensions in Mexico,
deportations from it and deaths rather than of US outcomes (word of mouth:
corridor/models/us_mexico/phases/word_of_mouth.py); root-causes aid: Global Research / InfoBrics opinion,
9 Jun 2021; parole diversion
is the share of a group who apply for parole from home instead (corridor/models/us_mexico/phases/parole.py).
Counts are Poisson draws from the counter-based streams; each new agent gets a stable id built
from (day, origin row, demographic, k), so scenarios share draws for the same would-be migrant.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor.engine import rng
from corridor.engine.shared import yesterday
from corridor.levers import Lever
from corridor.models.us_mexico.phases import Phase
from corridor.models.us_mexico.phases.budget import set_out
from corridor.models.us_mexico.phases.parole import staying_home
from corridor.models.us_mexico.sources import GLOBAL_RESEARCH_2021_HARRIS_AMLO, NYT_2024_MEXICO_ELECTIONS
from corridor.models.us_mexico.world import DEMOGRAPHICS, Status
from corridor.results.outputs import Output

DATA = "corridor/data/cbp/usbp_ohss_monthly_region_sector.csv"
SEASONALITY = [0.818, 0.891, 1.126, 1.155, 1.253, 1.069, 0.948, 0.95, 0.929, 0.977, 0.964, 0.918]

LEVERS = [
    Lever("departure.scale", 1.0, "multiplier", "hand-set", "multiplies every origin's departures", hi=100),
    Lever(
        "origin.group_scale",
        1.0,
        "multiplier",
        "fitted to the nationality split of USBP encounters (priors.yaml)",
        "multiplies one group's daily_departures (origins.csv)",
        index="group",
        hi=100,
    ),
    Lever(
        "origin.condition_effect",
        0.0,
        "log-multiplier at full intensity",
        "fitted (priors.yaml); the condition's dates and sources are in drivers.csv",
        "how much an origin condition raises (>0) or lowers (<0) departures where it is fully in force",
        index="condition",
        lo=-5,
        hi=5,
    ),
    Lever(
        "departure.seasonality",
        1.0,
        "multiplier by calendar month",
        f"monthly/annual-mean ratio of USBP SW-border encounters FY2012-FY2019, computed from {DATA}",
        "seasonal cycle of departures",
        index="month",
        hi=5,
    ),
    Lever(
        "departure.pull_elasticity",
        0.6,
        "per unit of release share",
        f"{NYT_2024_MEXICO_ELECTIONS} (pull of expected outcome)",
        "how strongly departures follow the heard share of a nationality's encounters released into the US (families "
        "went from a few thousand a month to 50,000 as their release share rose in 2021: "
        "corridor/data/cbp/cbp_nationwide_encounters_by_state_fy20_fy23.csv)",
        index="demographic",
        hi=10,
    ),
    Lever("departure.reference_release_share", 0.4, "share", "hand-set", "release share at which pull = 1", hi=1),
    Lever(
        "departure.network_elasticity",
        0.0,
        "elasticity",
        "prior, fitted: those already in the US lower the costs and risks for relatives and friends who follow "
        "(Massey et al. 1993, 'Theories of international migration: a review and appraisal', Population and "
        "Development Review 19(3): network theory and cumulative causation)",
        "departures of a nationality grow as (1 + its people released into the US during the run / "
        "departure.network_reference) to this power",
        hi=5,
    ),
    Lever(
        "departure.network_reference",
        100_000.0,
        "people",
        "hand-set prior",
        "people of a nationality released into the US during the run at which its network doubles departures "
        "when the elasticity is 1",
        lo=1,
        hi=1e8,
    ),
    Lever(
        "departure.backlog_elasticity",
        0.3,
        "elasticity",
        f"{NYT_2024_MEXICO_ELECTIONS} (years in the asylum backlog draw migrants)",
        "elasticity of departures to the expected years in the immigration-court backlog",
        hi=5,
    ),
    Lever(
        "asylum.initial_backlog",
        1_391_361.0,
        "cases",
        "corridor/data/courts/eoir_pending_received_completions_fy2016_fy2026q2.csv (FY2019 pending)",
        "immigration-court cases pending at the start",
        hi=1e8,
    ),
    Lever(
        "asylum.completions_per_year",
        277_076.0,
        "cases/year",
        "same file (FY2019 completions)",
        "court completions a year: backlog / completions = expected years of wait",
        lo=1,
        hi=1e8,
    ),
    Lever(
        "asylum.reference_backlog_years",
        5.0,
        "years",
        "same file (FY2019 pending / completions = 5.0)",
        "backlog wait at which the backlog pull = 1",
        lo=0.1,
        hi=50,
    ),
    Lever(
        "aid.level",
        0.0,
        "USD per capita per year",
        f"{GLOBAL_RESEARCH_2021_HARRIS_AMLO}; {NYT_2024_MEXICO_ELECTIONS} (root-causes aid)",
        "development aid for root causes per origin group",
        index="group",
        hi=1e4,
    ),
    Lever(
        "aid.elasticity",
        0.002,
        "per USD per capita",
        "hand-set prior; unverified (small elasticity)",
        "departures fall by exp(-elasticity x aid) once the aid has worked through",
        hi=1,
    ),
    Lever(
        "aid.lag_days",
        730.0,
        "days",
        "hand-set prior; unverified (pledged aid arrives slowly)",
        "delay before aid lowers departures",
        hi=3650,
    ),
    Lever(
        "smuggler.fee_usd",
        7000.0,
        "USD per person",
        "EMIF Norte 2022 survey (El Colef), as reported in the press: average US$6,937 paid by Mexicans",
        "smuggling fee paid at departure by those who hire a smuggler",
        hi=1e5,
    ),
]

DEPARTURES = rng.decision_id("departure.count")
SMUGGLER = rng.decision_id("departure.smuggler")


@njit(cache=True)
def _spawn_counts(seed, day, expected):
    """Poisson draw of departures per (origin row x demographic) key."""
    counts = np.zeros(expected.shape[0], np.int64)
    for key in range(expected.shape[0]):
        counts[key] = rng.poisson(seed, DEPARTURES, day, key, expected[key])
    return counts


@njit(cache=True)
def _new_ids(day, counts):
    ids = np.empty(counts.sum(), np.int64)
    at = 0
    for key in range(counts.shape[0]):
        for k in range(counts[key]):
            ids[at] = (day << 32) | (key << 20) | k
            at += 1
    return ids


@njit(cache=True)
def _smuggled(seed, ids, share):
    key = rng.stream(seed, SMUGGLER, 0)
    out = np.zeros(ids.shape[0], np.int64)
    for i in range(ids.shape[0]):
        out[i] = 1 if rng.draw(key, ids[i]) < share[i] else 0
    return out


class Departure(Phase):
    name = "departure"
    LEVERS = LEVERS
    OUTPUTS = (
        Output("departures", ("time", "group"), "people/day", "people setting out from their origin", "flow"),
        Output("smuggler_fees_usd", ("time",), "USD/day", "fees paid to smugglers", "flow"),
        Output(
            "paroled",
            ("time", "group"),
            "people/day",
            "would-be migrants granted parole with a US sponsor, who fly in instead of setting out (phases/parole.py)",
            "flow",
        ),
    )
    READS = (yesterday("heard"), yesterday("released"))

    def __init__(self, world):
        super().__init__(world)
        self._aid_history = np.zeros((world.n_days, len(world.groups)))  # aid level per day and group
        self._month = world.dates.month.to_numpy() - 1  # by day: read once, pandas is slow a day at a time

    def apply(self, sim, day: int) -> None:
        world, params = sim.world, sim.params
        month = self._month[day]
        group = world.origin_group
        self._aid_history[day] = params["aid.level"]
        per_group = (
            world.group_daily_departures
            * params["origin.group_scale"]
            * np.exp(world.condition_intensity[day] @ params["origin.condition_effect"])
            * np.exp(-params["aid.elasticity"][0] * self._aid_working(day, int(params.scalar("aid.lag_days"))))
        )
        level = per_group[group] * world.origin_share * params["departure.seasonality"][month]
        level *= params.scalar("departure.scale") * sim.scale
        would_be = level[:, None] * world.origin_demographics * self._pull(sim)[group]
        would_be_by_group = np.bincount(group, would_be.sum(axis=1), minlength=len(world.groups))
        parole_places = params.scalar("parole.places_per_month") * 12 / 365.25 * sim.scale
        paroled_share = staying_home(params, would_be_by_group, parole_places)
        sim.counters["paroled"][day] = paroled_share * would_be_by_group
        expected = (would_be * (1.0 - paroled_share[group])[:, None]).ravel()
        counts = _spawn_counts(sim.seed, day, expected)
        total = int(counts.sum())
        if total == 0:
            return
        key_row = np.repeat(np.arange(expected.shape[0]), counts)
        rows, demographic = key_row // 3, key_row % 3
        ids = _new_ids(day, counts)
        groups = group[rows]
        money, smuggled = set_out(sim, day, ids, groups, _smuggled(sim.seed, ids, world.group_smuggler_share[groups]))
        sim.state.append(
            total,
            id=ids,
            group=groups,
            demographic=demographic,
            origin=rows,
            place=world.origin_place[rows],
            status=Status.AT_PLACE,
            link=-1,
            smuggled=smuggled,
            hearing_day=-1,
            money=money,
        )
        sim.counters["departures"][day] += np.bincount(groups, minlength=len(world.groups))
        sim.counters["smuggler_fees_usd"][day] += smuggled.sum() * params.scalar("smuggler.fee_usd")

    def _aid_working(self, day: int, lag: int) -> np.ndarray:
        """Aid per group that has worked through by ``day``: the level in force ``lag`` days earlier, and none
        before the run started (aid in force from the first day starts to work only after its lag)."""
        if day < lag:
            return np.zeros(self._aid_history.shape[1])
        return self._aid_history[day - lag]

    @staticmethod
    def _pull(sim) -> np.ndarray:
        """Pull of the expected outcome per (group, demographic): the release share heard for the group and
        demographic, the expected years in the backlog, the network of the group's people released into the
        US so far, and the deterrence of the risk heard in Mexico."""
        params, heard = sim.params, sim.shared.heard
        reference = params.scalar("departure.reference_release_share")
        groups = len(sim.world.groups)
        release_share = np.full((groups, len(DEMOGRAPHICS)), reference)
        deterrence = np.ones(groups)
        if heard is not None:
            heard_share = heard.release_share()
            release_share = np.where(np.isnan(heard_share), reference, heard_share)
            deterrence = heard.deterrence(params)
        pull = 1.0 + params["departure.pull_elasticity"] * (release_share - reference)
        released_people = sim.shared.released / sim.scale
        years = (params.scalar("asylum.initial_backlog") + released_people.sum()) / params.scalar(
            "asylum.completions_per_year"
        )
        pull *= (years / params.scalar("asylum.reference_backlog_years")) ** params.scalar(
            "departure.backlog_elasticity"
        )
        network = (1.0 + released_people / params.scalar("departure.network_reference")) ** params.scalar(
            "departure.network_elasticity"
        )
        return np.maximum(pull, 0.05) * (deterrence * network)[:, None]
