"""Errors of the indicator engine."""

from __future__ import annotations

from gis.errors import DothiError


class IndicatorError(DothiError):
    """Base class of indicator errors."""

    exit_code = 20


class UnknownIndicatorError(IndicatorError):
    """An indicator id that is not in the registry."""


class ParameterError(IndicatorError):
    """A bad indicator parameter (name, type or range)."""

    exit_code = 21


class MissingInputError(IndicatorError):
    """An input layer the indicator needs is missing or empty."""

    exit_code = 22


class SkippedIndicatorsError(IndicatorError):
    """A run of every indicator skipped some (missing input, data that cannot support them).

    ``dothi indicators run`` raises it after reporting, unless ``--allow-skip``.
    """

    exit_code = 23
