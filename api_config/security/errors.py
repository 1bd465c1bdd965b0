"""Errors of API key management."""

from __future__ import annotations

from gis.errors import DothiError


class ApiKeyError(DothiError):
    """A bad API key name or role, a name already taken, or an unknown key."""

    exit_code = 30
