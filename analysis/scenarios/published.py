"""Scenario answers at the indicators' published precision.

A scenario *changes* a result row when one of the row's numeric result columns changes **as it is
published**: real columns rounded to their stated precision (:meth:`IndicatorSpec.digits`, the
rounding of the level views, the API's :func:`api_config.providers.postgis.published_value` and the
exports), other numeric columns exactly.  A difference that rounds away is no change, so a
scenario answer, its stored results (``scenario.results``, the ``scenario-results`` collection) and
the CLI and report built on them list the same rows, with the values a reader of the published
baseline sees (no ``-0.00``).

Rounding is PostgreSQL's ``round(numeric, digits)`` of a ``double precision`` (what the published
views do): half away from zero on its 15-digit decimal value (``2.675`` → ``2.68``, although its
binary value is just below); infinities and NaN have no value (NaN here, ``null`` in JSON).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from analysis.spec import IndicatorSpec

#: Significant digits PostgreSQL keeps converting a ``double precision`` to ``numeric``.
_PG_DIGITS = 15


def round_published(values: Any, digits: int) -> np.ndarray:
    """``values`` (array-like of floats) rounded as published; non-finite values become NaN.

    PostgreSQL first writes the double with 15 significant digits, then rounds that decimal half
    away from zero: a value within half a unit of the 15th digit of a half is a tie (rounded
    away from zero), any other is rounded to the nearest."""
    x = np.asarray(values, dtype=float)
    scale = 10.0**digits
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        ax = np.abs(x)
        q = ax * scale
        whole = np.floor(q)
        frac = q - whole
        exponent = np.floor(np.log10(np.where(ax > 0, ax, 1.0)))
        tie = np.abs(frac - 0.5) <= 0.5 * 10.0 ** (exponent - (_PG_DIGITS - 1)) * scale
        out = np.sign(x) * (whole + ((frac > 0.5) | tie)) / scale
    out[~np.isfinite(x)] = np.nan
    return out + 0.0  # -0.0 + 0.0 is 0.0: a published value has no negative zero


def published_digits(spec: IndicatorSpec, columns: list[str]) -> dict[str, int | None]:
    """Per numeric result column the decimal places it is published with (None: compared exactly)."""
    reals = {spec.value_column, *(c.name for c in spec.result_columns if c.type == "real")}
    return {c: spec.digits(c) if c in reals else None for c in columns}


def json_value(value: Any) -> Any:
    """A plain JSON value: numpy scalars as Python numbers, NaN and infinities as ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
