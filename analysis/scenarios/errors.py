"""Scenario errors (turned into HTTP 4xx or CLI exit codes at the edge)."""

from __future__ import annotations

from gis.errors import DothiError


class ScenarioError(DothiError):
    """A scenario request that cannot be honoured (bad edit, unknown scenario, name taken…)."""

    exit_code = 2


class UnknownScenarioError(ScenarioError):
    """No scenario of that name."""
