"""Typed, validated contents of a Flee input folder.

The reader (Flee's own folder layout) and the scenario loader (corridor's normalised copy)
both produce a :class:`FleeInput`, so the simulation never sees raw CSV rows.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_DAYS = 36_525  # a century: Flee lists each day's conflict intensity, so a typo in a length would fill memory


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _number_attribute(attributes: dict[str, str], key: str, valid, expected: str) -> None:
    """An optional numeric column Flee reads from the extra columns of locations.csv or routes.csv."""
    text = attributes.get(key)
    if not text:
        return
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and valid(value)):
        raise ValueError(f"{key} must be {expected}, is {text!r}")


class Location(_Frozen):
    name: str = Field(min_length=1)
    region: str = ""
    country: str = ""
    latitude: float = 0.0
    longitude: float = 0.0
    location_type: str
    conflict_date: int = Field(0, ge=0, description="day the conflict starts (0 = from the start)")
    population: int = Field(0, ge=0, description="people; a camp's capacity")
    attributes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _usable(self):
        if "camp" in self.location_type.lower() and self.population < 1:
            raise ValueError(f"a camp needs a capacity of at least 1 in its population column, has {self.population}")
        _number_attribute(self.attributes, "conflict_intensity", lambda value: value >= 0, "a number >= 0")
        return self


class Route(_Frozen):
    name1: str = Field(min_length=1)
    name2: str = Field(min_length=1)
    distance: float = Field(gt=0, description="km, more than 0")
    forced_redirection: int = Field(0, ge=0, le=2, description="0, 1, 2 or empty")
    attributes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _usable(self):
        if self.name1 == self.name2:
            raise ValueError(f"a route must lead to another location (name1 and name2 are both '{self.name1}')")
        _number_attribute(self.attributes, "max_move_speed", lambda value: value > 0, "km/day above 0")
        _number_attribute(self.attributes, "walk_probability", lambda value: 0 <= value <= 1, "a probability")
        return self


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
    max_move_speed: float = Field(360.0, gt=0, description="km/day, more than 0")
    max_walk_speed: float = Field(35.0, gt=0, description="km/day, more than 0")
    camp_weight: float = Field(1.0, ge=0)
    conflict_weight: float = Field(1.0 / math.sqrt(10.0), ge=0)
    foreign_weight: float = Field(1.0, ge=0)
    softening: float = Field(10.0, ge=0)
    distance_power: float = 1.0
    weight_power: float = 1.0
    weight_softening: float = 0.0
    default_movechance: float = Field(0.3, ge=0, le=1, description="a probability")
    conflict_movechance: float = Field(1.0, ge=0, le=1, description="a probability")
    camp_movechance: float = Field(0.001, ge=0, le=1, description="a probability")
    idpcamp_movechance: float = Field(0.1, ge=0, le=1, description="a probability")
    awareness_level: int = Field(1, ge=0)
    capacity_scaling: float = Field(1.0, gt=0)
    capacity_buffer: float = Field(0.9, ge=0, le=1)
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
    days: int = Field(ge=1, le=MAX_DAYS, description=f"days simulated, 1 to {MAX_DAYS}")
    settings: SimSettings
    locations: list[Location]
    routes: list[Route]
    closures: list[Closure] = Field(default_factory=list)
    conflicts: dict[str, list[float]] = Field(default_factory=dict)  # location -> value per day
    series: list[Series]
    corrections: list[RegistrationCorrection] = Field(default_factory=list)
