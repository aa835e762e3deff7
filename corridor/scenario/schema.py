"""Pydantic models of a scenario's files: one model per YAML document and per CSV row.

Field descriptions carry units; the loader turns validation failures into located
:class:`~corridor.scenario.errors.ScenarioError` messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

PlaceKind = Literal["origin", "transit", "air_hub", "mx_south", "mx_center", "mx_north", "border_city", "usbp_sector"]
Mode = Literal["bus", "truck", "rail", "boat", "foot", "foot_jungle", "foot_desert", "river", "air", "port"]
Flow = Literal["north", "crossing", "lateral"]
MODES: tuple[Mode, ...] = get_args(Mode)  # a route's mode is stored as its index here
FLOWS: tuple[Flow, ...] = get_args(Flow)
DEFAULT_RULESET: Final = "us_mexico"  # a scenario.yaml without 'ruleset' (other models: corridor.models)
MAX_SEED = 2**63 - 1  # the counter-based generator keys its streams with a signed 64-bit seed


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ScenarioConfig(Strict):
    """scenario.yaml: the period, scale, seed and where the tables are."""

    name: str
    description: str = ""
    ruleset: Literal["us_mexico"] = DEFAULT_RULESET
    start: dt.date = Field(description="first simulated day (warm-up starts here)")
    end: dt.date = Field(description="last simulated day")
    report_start: dt.date | None = Field(None, description="first day shown in reports (after warm-up)")
    scale: float = Field(0.1, gt=0, le=10, description="agents per person: 1 = one agent per person, 0.1 = one per ten")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="random seed, 0 to 2**63 - 1")
    places: str = "places.csv"
    routes: str = "routes.csv"
    origins: str = "origins.csv"
    drivers: str = "drivers.csv"
    policies: str | None = "policies.yaml"
    schedules: str | None = Field(None, description="CSV of dated lever values taken from observed data")
    bilateral_record: str | None = Field(
        None, description="CSV of the bargain's dated events and elections (mexico.bargain; docs/bilateral.md)"
    )
    parameters: dict[str, float | dict[str, float]] = Field(default_factory=dict, description="lever overrides")

    @model_validator(mode="after")
    def _period_ordered(self):
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must come after start ({self.start})")
        if self.report_start is not None and not (self.start <= self.report_start <= self.end):
            raise ValueError("report_start must lie between start and end")
        return self


class PlaceRow(Strict):
    name: str = Field(min_length=1)
    kind: PlaceKind
    country: str = Field(min_length=3, max_length=3, description="ISO3 code")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    sector: str = Field("", description="USBP sector code, for usbp_sector places")
    decompression_destination: int = Field(0, ge=0, le=1)
    notes: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _sector_named(self):
        if self.kind == "usbp_sector" and not self.sector:
            raise ValueError("a usbp_sector place needs a sector code")
        return self


class RouteRow(Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    mode: Mode
    distance_km: float = Field(ge=0.1, le=20_000, description="km travelled (exposed walking km on crossing links)")
    flow: Flow
    entry: Literal["", "south_border", "air_mexico"] = ""
    checkpoints: float = Field(
        0,
        ge=0,
        le=1000,
        description="Mexican immigration checkpoints on the link, baseline "
        "count (the bound of lever checkpoints.count)",
    )
    notes: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _not_a_loop(self):
        if self.from_ == self.to:
            raise ValueError(f"a route must lead to another place (from and to are both '{self.to}')")
        return self


class OriginRow(Strict):
    group: str = Field(min_length=1)
    place: str = Field(min_length=1)
    share: float = Field(ge=0, le=1, description="share of the group's departures leaving from this place")
    single_adult: float = Field(ge=0, le=1)
    family: float = Field(ge=0, le=1)
    unaccompanied_child: float = Field(ge=0, le=1)
    daily_departures: float = Field(
        ge=0, le=100_000, description="people/day leaving with no origin condition in force (first row of a group)"
    )
    smuggler_share: float = Field(ge=0, le=1, description="share who hire a smuggler")
    source: str = ""

    @model_validator(mode="after")
    def _demographics_sum_to_one(self):
        total = self.single_adult + self.family + self.unaccompanied_child
        if abs(total - 1) > 1e-6:
            raise ValueError(f"single_adult + family + unaccompanied_child must be 1, is {total:.3f}")
        return self


class DriverRow(Strict):
    """A dated knot of one origin condition (a lockdown, a hurricane, a crisis) in one group: how much
    of the condition is in force that day. How much a condition moves departures is not here but in
    the lever ``origin.condition_effect``, so it is fitted, never set by eye."""

    date: dt.date
    group: str = Field(min_length=1, description="a nationality group, or 'all'")
    condition: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="name of the origin condition")
    intensity: float = Field(ge=0, le=1, description="share of the condition in force (0 = none, 1 = full)")
    source: str = Field(min_length=1)


class PolicyEvent(Strict):
    """A dated change of one lever: set it, or scale it, optionally over ramp_days."""

    date: dt.date
    lever: str = Field(min_length=1)
    action: Literal["set", "scale"] = "set"
    value: float
    where: str | None = Field(None, description="group, place or route name for indexed levers")
    ramp_days: int = Field(0, ge=0, description="change linearly over this many days")
    name: str = ""
    source: str = Field(
        min_length=1, description="evidence for the event: outlet, date and title, or agency and document"
    )


class PolicyFile(Strict):
    events: list[PolicyEvent]
