"""The error hierarchy of dothi's spatial core.

Errors say what was wrong, where, and what to do.  They are turned into exit codes (CLI) or HTTP
status codes (API) only at the edge.
"""

from __future__ import annotations


class DothiError(Exception):
    """Base class of every error dothi raises on purpose.

    Parameters
    ----------
    message:
        What went wrong, and where (file, layer, feature, parameter).
    hint:
        What the user can do about it.
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  → {self.hint}"
        return self.message


class ConfigError(DothiError):
    """A setting is missing or invalid."""

    exit_code = 2


class ClusterError(DothiError):
    """The embedded PostgreSQL cluster cannot be created, started or stopped."""

    exit_code = 3


class DatabaseUnavailableError(DothiError):
    """The database server cannot be reached."""

    exit_code = 3


class MigrationError(DothiError):
    """The database schema cannot be brought to the expected revision."""

    exit_code = 4


class CrsError(DothiError):
    """A coordinate reference system is missing, unknown or unsuitable for the operation."""

    exit_code = 5


class BackupError(DothiError):
    """A backup cannot be written, or an archive cannot be verified or restored."""

    exit_code = 6
