"""The US–Mexico corridor as flat arrays: places, routes (CSR), groups, origins, daily drivers.

Built once from a validated :class:`~corridor.scenario.Scenario`; the phases read only these
arrays and the current lever values, never the scenario objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import pandas as pd

from corridor.engine.network import CSRGraph, csr_from_edges
from corridor.models.us_mexico.bilateral_record import BilateralRecord, read_record
from corridor.scenario.load import Scenario
from corridor.scenario.schema import FLOWS, MODES, OriginRow

DEMOGRAPHICS = ("single_adult", "family", "unaccompanied_child")
AUTHORITIES = ("title8", "title42")
COMPONENTS = ("usbp", "ofo")
US_OUTCOMES = ("expelled_t42", "removed", "mpp", "released")
ENTRIES = ("", "south_border", "air_mexico")
MONTHS = [f"{month:02d}" for month in range(1, 13)]
EARTH_RADIUS_KM = 6371.0


class Status(IntEnum):
    """Where an agent is in its journey (int8 codes in the ``status`` column)."""

    AT_PLACE = 0  # at a place, about to choose the next link
    ON_LINK = 1  # travelling along a route
    DETAINED = 2  # held by Mexican immigration
    WAITING = 3  # waiting in a Mexican border city
    HOME = 4  # returned to the origin, may leave again
    MPP_WAIT = 5  # sent back to Mexico to await a US court hearing
    IN_US = 6  # just encountered by US authorities
    GONE = 7  # settled, dead or given up: compacted away


@dataclass(frozen=True)
class World:
    dates: pd.DatetimeIndex
    place_names: list[str]
    place_is_mexico: np.ndarray
    place_is_border_city: np.ndarray
    place_sector: np.ndarray  # sector index for usbp_sector places, else -1
    sector_names: list[str]
    border_city_names: list[str]
    decompression_places: np.ndarray
    place_km_to_south: np.ndarray  # great-circle km from each place to the nearest place in southern Mexico
    route_names: list[str]
    route_from: np.ndarray
    route_to: np.ndarray
    route_mode: np.ndarray
    route_km: np.ndarray
    route_flow: np.ndarray
    route_entry: np.ndarray
    route_checkpoints: np.ndarray
    graph: CSRGraph
    groups: list[str]
    origin_group: np.ndarray
    origin_place: np.ndarray
    origin_share: np.ndarray
    origin_demographics: np.ndarray  # (n_origin_rows, 3)
    group_daily_departures: np.ndarray
    group_smuggler_share: np.ndarray
    group_home_place: np.ndarray  # first origin place of each group
    condition_names: list[str]  # origin conditions of drivers.csv, in order of appearance
    condition_intensity: np.ndarray  # (n_days, n_groups, n_conditions) share of each condition in force
    bilateral_record: BilateralRecord | None = None  # the bargain's dated events and elections

    @property
    def n_days(self) -> int:
        return len(self.dates)

    def index_names(self) -> dict[str, list[str]]:
        return {
            "group": self.groups,
            "place": self.place_names,
            "route": self.route_names,
            "month": MONTHS,
            "mode": list(MODES),
            "demographic": list(DEMOGRAPHICS),
            "condition": self.condition_names,
        }


def build_world(scenario: Scenario) -> World:
    config = scenario.config
    record = read_record(scenario.folder / config.bilateral_record) if config.bilateral_record else None
    dates = pd.date_range(config.start, config.end, freq="D")
    places = scenario.places
    place_index = {place.name: i for i, place in enumerate(places)}
    sectors = [place.sector for place in places if place.kind == "usbp_sector"]
    place_sector = np.array([sectors.index(p.sector) if p.kind == "usbp_sector" else -1 for p in places], np.int64)
    routes = scenario.routes
    route_from = np.array([place_index[r.from_] for r in routes], np.int64)
    route_to = np.array([place_index[r.to] for r in routes], np.int64)
    groups = scenario.groups
    group_index = {group: i for i, group in enumerate(groups)}
    first_rows: dict[str, OriginRow] = {}
    for row in scenario.origins:
        first_rows.setdefault(row.group, row)
    return World(
        dates=dates,
        place_names=[p.name for p in places],
        place_is_mexico=np.array([p.country == "MEX" for p in places]),
        place_is_border_city=np.array([p.kind == "border_city" for p in places]),
        place_sector=place_sector,
        sector_names=sectors,
        border_city_names=[p.name for p in places if p.kind == "border_city"],
        decompression_places=np.array([i for i, p in enumerate(places) if p.decompression_destination], np.int64),
        place_km_to_south=_km_to_nearest(places, [p for p in places if p.kind == "mx_south"]),
        route_names=[f"{r.from_}->{r.to} ({r.mode})" for r in routes],
        route_from=route_from,
        route_to=route_to,
        route_mode=np.array([MODES.index(r.mode) for r in routes], np.int64),
        route_km=np.array([r.distance_km for r in routes], np.float64),
        route_flow=np.array([FLOWS.index(r.flow) for r in routes], np.int64),
        route_entry=np.array([ENTRIES.index(r.entry) for r in routes], np.int64),
        route_checkpoints=np.array([r.checkpoints for r in routes], np.float64),
        graph=csr_from_edges(len(places), route_from, route_to),
        groups=groups,
        origin_group=np.array([group_index[r.group] for r in scenario.origins], np.int64),
        origin_place=np.array([place_index[r.place] for r in scenario.origins], np.int64),
        origin_share=np.array([r.share for r in scenario.origins], np.float64),
        origin_demographics=np.array([[r.single_adult, r.family, r.unaccompanied_child] for r in scenario.origins]),
        group_daily_departures=np.array([first_rows[g].daily_departures for g in groups], np.float64),
        group_smuggler_share=np.array([first_rows[g].smuggler_share for g in groups], np.float64),
        group_home_place=np.array([place_index[first_rows[g].place] for g in groups], np.int64),
        condition_names=_condition_names(scenario),
        condition_intensity=_condition_intensity(scenario, dates, groups),
        bilateral_record=record,
    )


def _km_to_nearest(places: list, targets: list) -> np.ndarray:
    """Great-circle km from each place to the nearest of ``targets`` (infinite when there is none)."""
    if not targets:
        return np.full(len(places), np.inf)
    lat = np.radians([p.lat for p in places])[:, None]
    lon = np.radians([p.lon for p in places])[:, None]
    target_lat = np.radians([t.lat for t in targets])[None, :]
    target_lon = np.radians([t.lon for t in targets])[None, :]
    a = np.sin((target_lat - lat) / 2) ** 2 + np.cos(lat) * np.cos(target_lat) * np.sin((target_lon - lon) / 2) ** 2
    return (2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))).min(axis=1)


def _condition_names(scenario: Scenario) -> list[str]:
    return list(dict.fromkeys(row.condition for row in scenario.drivers))


def _condition_intensity(scenario: Scenario, dates: pd.DatetimeIndex, groups: list[str]) -> np.ndarray:
    """Daily intensity of each origin condition per group: linear between the dated knots of
    drivers.csv, flat outside them. A condition's knots for one group replace its 'all' knots there."""
    names = _condition_names(scenario)
    intensity = np.zeros((len(dates), len(groups), len(names)))
    days = (dates - dates[0]).days.to_numpy()
    for c, name in enumerate(names):
        knots: dict[str, list] = {}
        for row in sorted((r for r in scenario.drivers if r.condition == name), key=lambda r: r.date):
            knots.setdefault(row.group, []).append(row)
        for g, group in enumerate(groups):
            rows = knots.get(group, knots.get("all"))
            if rows:
                at = [(pd.Timestamp(r.date) - dates[0]).days for r in rows]
                intensity[:, g, c] = np.interp(days, at, [r.intensity for r in rows])
    return intensity
