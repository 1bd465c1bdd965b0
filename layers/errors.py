"""Errors of the layer catalog and loaders."""

from __future__ import annotations

from gis.errors import DothiError


class LayerError(DothiError):
    """Base class of layer errors."""

    exit_code = 10


class UnknownLayerError(LayerError):
    """A layer name that is not in the catalog."""


class SourceError(LayerError):
    """A source file cannot be read (missing, corrupt, truncated, wrong format)."""

    exit_code = 11


class ValidationError(LayerError):
    """Features failed validation; nothing was written.

    ``problems`` lists one message per problem, each naming the feature and the field.
    """

    exit_code = 12

    def __init__(self, message: str, *, problems: list[str], hint: str | None = None) -> None:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{message}\n{shown}{more}", hint=hint)
        self.problems = problems


class LoadError(LayerError):
    """The database refused the write (e.g. a duplicate key); the transaction was rolled back."""

    exit_code = 13
