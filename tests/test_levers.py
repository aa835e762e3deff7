"""Every lever moves the outputs in the direction the evidence says.

Runs are paired with the same seed: the random streams are keyed by (seed, decision, day, agent),
so the two runs of a pair differ only by the lever (common random numbers)."""

from __future__ import annotations

from conftest import shortened_copy

from corridor import simulate
from corridor.models.us_mexico.world import build_world
from corridor.scenario.load import load_scenario

SEED = 11


def total(ds, variable: str, **select) -> float:
    return float(ds[variable].sel(**select).sum())


def us_encounters(ds) -> float:
    return total(ds, "encounters")


def pair(scenario, low: dict, high: dict):
    return simulate(scenario, seed=SEED, overrides=low), simulate(scenario, seed=SEED, overrides=high)


def test_more_checkpoints_apprehend_more_in_mexico_and_fewer_reach_the_us(fy2022):
    world = build_world(load_scenario(fy2022))
    tripled = {
        name: 3 * count for name, count in zip(world.route_names, world.route_checkpoints, strict=True) if count > 0
    }
    base, more = pair(fy2022, {}, {"checkpoints.count": tripled})
    assert total(more, "mx_apprehensions") > 1.3 * total(base, "mx_apprehensions")
    assert us_encounters(more) < us_encounters(base)


def test_higher_bribe_rate_means_fewer_apprehended(fy2022):
    honest, corrupt = pair(
        fy2022,
        {"checkpoints.bribe_pass": 0.0, "checkpoints.bribe_pass_smuggled": 0.1},
        {"checkpoints.bribe_pass": 0.5, "checkpoints.bribe_pass_smuggled": 0.9},
    )
    assert total(corrupt, "mx_apprehensions") < total(honest, "mx_apprehensions")
    assert total(corrupt, "bribes_paid_usd") > total(honest, "bribes_paid_usd")


def test_36_hour_limit_deports_fewer_than_7_days(fy2022):
    seats = {"removal.capacity_per_day": 1e5}
    short, week = pair(fy2022, {**seats, "detention.max_hours": 36}, {**seats, "detention.max_hours": 168})
    assert total(short, "mx_deportations") < 0.8 * total(week, "mx_deportations")
    assert total(short, "mx_releases") > total(week, "mx_releases")


def test_72_hour_notice_deports_fewer_by_air_than_none(fy2022):
    """The notice delays flights only: Central Americans returned by bus need none."""
    limit = {"removal.capacity_per_day": 1e5, "detention.max_hours": 36}
    notice, none = pair(fy2022, {**limit, "removal.notice_hours": 72}, {**limit, "removal.notice_hours": 0})

    def by_air(ds) -> float:
        return total(ds, "mx_deportations") - total(ds, "mx_land_returns")

    assert by_air(notice) < 0.5 * by_air(none)
    assert total(notice, "mx_land_returns") > 0


def test_closing_a_city_crossing_moves_people_to_the_desert(fy2022):
    closed = {
        "route.open": {
            "Tijuana->San Diego sector (foot)": 0,
            "Tijuana->San Diego sector (port)": 0,
            "Ciudad Juarez->El Paso sector (foot)": 0,
            "Ciudad Juarez->El Paso sector (port)": 0,
            "Nogales->Tucson sector (foot)": 0,
            "Nogales->Tucson sector (port)": 0,
        }
    }
    base = simulate(fy2022, seed=SEED, scale=0.05)
    shut = simulate(fy2022, seed=SEED, scale=0.05, overrides=closed)
    # Tijuana's people take its desert route; others go on to the open cities (Mexicali, San Luis Rio Colorado)
    tijuana_desert = ["Tijuana->San Diego sector (foot_desert)"]
    # (about 2x at scale 0.05, seed 1, with the cheapest of parallel links in route values)
    assert total(shut, "crossings", route=tijuana_desert) > 1.6 * total(base, "crossings", route=tijuana_desert)


def test_city_enforcement_displaces_crossings_from_that_city(fy2022):
    base, raided = pair(fy2022, {}, {"border.city_enforcement": {"Tijuana": 6}})
    urban = ["Tijuana->San Diego sector (foot)"]
    assert total(raided, "crossings", route=urban) < 0.7 * total(base, "crossings", route=urban)
    assert total(raided, "mx_apprehensions", place="Tijuana") > total(base, "mx_apprehensions", place="Tijuana")


def test_title_42_raises_repeat_encounters(fy2022):
    off, on = pair(fy2022, {"title42.active": 0}, {"title42.active": 1})
    assert total(on, "repeat_encounters") > 1.5 * total(off, "repeat_encounters")
    assert total(off, "encounters", authority="title42") == 0


def test_higher_mexican_effort_lowers_us_encounters(fy2022):
    timeline = {"mexico.bargain": 0}  # effort from the mexico.effort timeline, not the bargain
    low, high = pair(fy2022, {**timeline, "mexico.effort": 1.0}, {**timeline, "mexico.effort": 3.0})
    assert us_encounters(high) < us_encounters(low)
    assert total(high, "mx_apprehensions") > total(low, "mx_apprehensions")


def test_root_causes_aid_lowers_departures_only_after_its_lag(fy2022):
    """Aid in force from the first day works only once its lag has passed: none was given before the run."""
    lag = {"aid.lag_days": 120}
    none, aid = pair(fy2022, lag, {**lag, "aid.level": 200})
    before, after = slice("2021-10-01", "2022-01-28"), slice("2022-01-29", "2022-09-30")  # days 0-119, 120-
    assert total(aid, "departures", time=before) == total(none, "departures", time=before) > 0
    assert total(aid, "departures", time=after) < 0.8 * total(none, "departures", time=after)


def test_decompression_moves_people_south_and_they_pay_again(fy2022):
    off, on = pair(fy2022, {"decompression.rate": 0}, {"decompression.rate": 0.8})
    assert total(off, "mx_decompressions") == 0
    assert total(on, "mx_decompressions") > 0
    assert total(on, "smuggler_fees_usd") > total(off, "smuggler_fees_usd")


def test_appointments_bring_encounters_to_ports(fy2022):
    none, slots = pair(fy2022, {"appointments.per_day": 0}, {"appointments.per_day": 1500})
    assert total(slots, "encounters", component="ofo") > 1.5 * total(none, "encounters", component="ofo")


def mean_waiting(ds) -> float:
    return float(ds["waiting"].sum("border_city").mean())


def test_remain_in_mexico_fills_border_cities(fy2022):
    off, on = pair(fy2022, {"mpp.active": 0}, {"mpp.active": 1, "mpp.enrol_share": 0.5})
    assert mean_waiting(on) > mean_waiting(off)
    assert total(on, "us_outcomes", us_outcome="mpp") > 0 == total(off, "us_outcomes", us_outcome="mpp")


def test_visa_requirement_closes_air_routes_into_mexico(fy2022):
    """Without flights into Mexico, people go by land: through the Darien, and none are caught at Cancun's airport."""
    open_air, visa = pair(fy2022, {"visa.required": 0}, {"visa.required": 1})
    air_into_mexico = ["Havana->Cancun (air)", "Caracas->Mexico City (air)", "Bogota->Mexico City (air)"]
    darien = "Capurgana->Bajo Chiquito (foot_jungle)"
    assert (
        total(visa, "route_entries", route=air_into_mexico)
        == 0
        < total(open_air, "route_entries", route=air_into_mexico)
    )
    assert total(visa, "route_entries", route=darien) > 3 * total(open_air, "route_entries", route=darien)
    assert total(visa, "mx_apprehensions", place="Cancun") < 0.2 * total(open_air, "mx_apprehensions", place="Cancun")


def test_more_retries_mean_more_repeat_encounters(fy2022):
    few, many = pair(fy2022, {"border.retry_share": 0.1}, {"border.retry_share": 0.8})
    assert total(many, "repeat_encounters") > 2 * total(few, "repeat_encounters")


def test_southern_border_forces_apprehend_more_at_the_southern_entry(fy2022):
    base, guarded = pair(fy2022, {"checkpoints.south_border_guard": 1}, {"checkpoints.south_border_guard": 4})
    south = ["Tecun Uman", "El Ceibo"]
    assert total(guarded, "mx_apprehensions", place=south) > total(base, "mx_apprehensions", place=south)


def test_parole_keeps_eligible_people_home(fy2022):
    closed, open_parole = pair(fy2022, {"parole.eligible": 0}, {"parole.eligible": {"cuba": 1}})
    assert total(open_parole, "departures", group="cuba") < 0.5 * total(closed, "departures", group="cuba")
    assert total(open_parole, "encounters", group="cuba") < total(closed, "encounters", group="cuba")


def test_parole_places_bound_who_stays_home(fy2022):
    """With few places a month, most would-be applicants set off after all, and those paroled fill the places."""
    cuba = {"parole.eligible": {"cuba": 1}, "parole.stay_home_share": {"cuba": 0.9}}
    few, many = pair(fy2022, {**cuba, "parole.places_per_month": 1000}, {**cuba, "parole.places_per_month": 1e6})
    assert total(few, "departures", group="cuba") > 3 * total(many, "departures", group="cuba")
    places_in_the_year = 1000 * 12 * 365 / 365.25
    assert abs(total(few, "paroled", group="cuba") - places_in_the_year) < 0.01 * places_in_the_year
    assert total(many, "paroled", group="cuba") > 3 * places_in_the_year


def test_opening_parole_stops_people_already_on_the_way(tmp_path):
    scenario = shortened_copy(
        tmp_path / "parole", start="2021-10-01", end="2022-04-15", report_start="2021-10-01", scale=0.02
    )
    policies = scenario / "policies.yaml"
    policies.write_text(
        policies.read_text()
        + (
            "- {date: '2022-03-01', lever: parole.eligible, action: set, value: 1, where: cuba,\n"
            "   name: test parole, source: test}\n"
        )
    )
    kept_on, stopped = pair(scenario, {"parole.stay_home_share": 0.0}, {"parole.stay_home_share": 0.9})
    month_after = {"time": slice("2022-03-02", "2022-04-01"), "group": "cuba"}
    assert total(stopped, "encounters", **month_after) < 0.5 * total(kept_on, "encounters", **month_after)


def test_title_8_removal_bar_means_fewer_repeat_crossings_than_expulsion(fy2022):
    no_title42 = {"title42.active": 0}
    barred, unbarred = pair(
        fy2022, {**no_title42, "border.retry_share_removed": 0.05}, {**no_title42, "border.retry_share_removed": 0.5}
    )
    assert total(unbarred, "repeat_encounters") > 2 * total(barred, "repeat_encounters")


def test_likely_expulsion_keeps_people_waiting_in_border_cities(fy2022):
    undeterred, deterred = pair(fy2022, {"border.return_deterrence": 0.0}, {"border.return_deterrence": 0.9})
    assert mean_waiting(deterred) > 1.5 * mean_waiting(undeterred)
