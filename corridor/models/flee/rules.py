"""Which Flee release's rules a run follows, and the few places where the releases differ.

``"3.1"`` is the PyPI release flee==3.1 (the reference the project's issue names);
``"rules_md"`` is djgroen/flee commit 02cd2cb as written down in tests/data/flee/RULES.md.
Everything not switched here is the same in both. Each switch cites the flee==3.1 code
(``site-packages/flee/...``) it reproduces, so a reader can check the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from corridor.models.flee.model import FleeInput, FleeRules, SimSettings
from corridor.scenario.errors import ScenarioError

RULESETS: tuple[str, ...] = get_args(FleeRules)


@dataclass(frozen=True)
class RuleSwitches:
    # RULES.md 2.3: day 0 subtracts each camp's day-0 count from its capacity;
    # 3.1 spawning.spawn_daily_displaced only sets new_refs = 0 on day 0.
    day0_capacity_cut: bool
    # RULES.md 2.5: an agent with a planned route moves with chance 1;
    # 3.1 flee.Person.evolve always draws the location's movechance.
    route_forces_move: bool
    # 3.1 InputGeography.AddNewConflictZones removes a conflict zone only when yesterday's
    # value was exactly 1 (``== 1``); RULES.md 2.2 removes on any positive -> 0 step.
    any_conflict_end: bool
    # 3.1 flee.Ecosystem._remove_link_1way compares names with ``is not``: a name read from
    # closures.csv is never the same object as the location's name, so ``link`` closures close
    # nothing (Flee prints "cannot remove link"; one-character names, which CPython caches,
    # are the exception and are not reproduced).
    link_closures: bool
    # 3.1 moving.selectRoute returns [link index] at awareness 0 and take_next_step compares
    # it with endpoint names, which never match: nobody leaves. RULES.md 2.6: uniform link.
    awareness0_moves: bool


SWITCHES = {
    "3.1": RuleSwitches(
        day0_capacity_cut=False,
        route_forces_move=False,
        any_conflict_end=False,
        link_closures=False,
        awareness0_moves=False,
    ),
    "rules_md": RuleSwitches(
        day0_capacity_cut=True, route_forces_move=True, any_conflict_end=True, link_closures=True, awareness0_moves=True
    ),
}


def use_rules(flee: FleeInput, rules: str | None) -> FleeInput:
    """``flee`` set to follow ``rules`` (None keeps its own choice)."""
    if rules is None:
        return flee
    if rules not in RULESETS:
        raise ScenarioError("--flee-rules", "unknown Flee rules", found=rules, expected=" or ".join(RULESETS))
    return flee.model_copy(update={"flee_rules": rules})


def effective_settings(settings: SimSettings, rules: FleeRules) -> SimSettings:
    """The settings a release actually applies: keys that 3.1's SimulationSettings.ReadFromYML
    never reads fall back to the behaviour hard-coded in 3.1.

    capacity_scaling: 3.1 moving.getCapMultiplier uses location.capacity as is.
    conflict_spawn_decay_interval: 3.1 SimulationSettings.get_conflict_decay divides by 30.
    pruning_threshold: 3.1 moving.selectRoute has no pruning.
    empty_camps_on_day0: 3.1 spawning has no such option (day-0 counts are always placed).
    sum_from_camps is kept: in 3.1 it is the run script's SumFromCamps argument.
    """
    if rules == "rules_md":
        return settings
    return settings.model_copy(
        update={
            "capacity_scaling": 1.0,
            "conflict_spawn_decay_interval": 30,
            "pruning_threshold": 1.0,
            "empty_camps_on_day0": False,
        }
    )
