"""Scenarios: the data a user writes, validated once into typed objects."""

from corridor.scenario.errors import ScenarioError
from corridor.scenario.load import Scenario, load_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario"]
