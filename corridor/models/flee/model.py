"""Typed, validated contents of a Flee input folder.

The reader (Flee's own folder layout) and the scenario loader (corridor's normalised copy)
both produce a :class:`FleeInput`, so the simulation never sees raw CSV rows.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(_Frozen):
    name: str
    region: str = ""
    country: str = ""
    latitude: float = 0.0
    longitude: float = 0.0
    location_type: str
    conflict_date: int = 0
    population: int = 0  # capacity for camps
    attributes: dict[str, str] = Field(default_factory=dict)


class Route(_Frozen):
    name1: str
    name2: str
    distance: float
    forced_redirection: int = 0
    attributes: dict[str, str] = Field(default_factory=dict)


class Closure(_Frozen):
    kind: str  # country, location, link, camp, idpcamp, remove_forced_redirection
    name1: str
    name2: str = ""
    start: int
    end: int  # -1 (or any day not reached) = never reopens


class Series(_Frozen):
    """One observed count series (already summed over the files data_layout lists for it)."""

    name: str
    dates: list[dt.date]
    counts: list[float]


class RegistrationCorrection(_Frozen):
    name: str
    date: dt.date


class SimSettings(_Frozen):
    """Flee's simsetting.yml keys that the Flee ruleset uses, with Flee's defaults."""

    # move_rules
    max_move_speed: float = 360.0
    max_walk_speed: float = 35.0
    camp_weight: float = 1.0
    conflict_weight: float = 1.0 / math.sqrt(10.0)
    foreign_weight: float = 1.0
    softening: float = 10.0
    distance_power: float = 1.0
    weight_power: float = 1.0
    weight_softening: float = 0.0
    default_movechance: float = 0.3
    conflict_movechance: float = 1.0
    camp_movechance: float = 0.001
    idpcamp_movechance: float = 0.1
    awareness_level: int = Field(1, ge=0)
    capacity_scaling: float = 1.0
    capacity_buffer: float = 0.9
    start_on_foot: bool = False
    avoid_short_stints: bool = False
    pruning_threshold: float = 1.0
    movechance_pop_scale_factor: float = 0.0
    movechance_pop_base: float = 10000.0
    # spawn_rules
    sum_from_camps: bool = True
    conflict_spawn_decay: list[float] | None = None
    conflict_spawn_decay_interval: int = Field(30, ge=1)
    empty_camps_on_day0: bool = False
    insert_day0: bool = True
    take_from_population: bool = False
    # optimisations
    hasten: int = Field(1, ge=1)


# which Flee release's rules to follow (corridor/models/flee/rules.py): PyPI flee==3.1, or the
# djgroen/flee commit 02cd2cb that tests/data/flee/RULES.md describes
FleeRules = Literal["3.1", "rules_md"]


class FleeInput(_Frozen):
    """Everything one Flee conflict run needs."""

    name: str
    flee_rules: FleeRules = "3.1"
    start_date: dt.date
    days: int = Field(ge=1)
    settings: SimSettings
    locations: list[Location]
    routes: list[Route]
    closures: list[Closure] = Field(default_factory=list)
    conflicts: dict[str, list[float]] = Field(default_factory=dict)  # location -> value per day
    series: list[Series]
    corrections: list[RegistrationCorrection] = Field(default_factory=list)
