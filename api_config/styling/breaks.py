"""Class breaks of dothi's choropleths, computed once here and used by every client: the QGIS
styles, the OGC API – Styles documents (MapLibre, QML, SLD) and the web map's ``meta.json``.

The classification itself is :mod:`mapclassify` (Fisher–Jenks natural breaks or quantiles); this
module only cleans the input and rounds the edges to sensible numbers.  Pure functions on a list
of numbers (no database, no QGIS), so they are checked on tiny hand-made examples.

A classification is a list of ``k + 1`` edges ``[lower, b1, …, upper]``: class *i* holds the values
in ``(edges[i], edges[i + 1]]`` (the first class also holds ``lower``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from itertools import pairwise
from typing import Literal

import numpy as np

from gis.errors import ConfigError

Method = Literal["jenks", "quantile"]
METHODS: tuple[Method, ...] = ("jenks", "quantile")


def _clean(values: Sequence[float | None]) -> list[float]:
    out = sorted(float(v) for v in values if v is not None and math.isfinite(float(v)))
    if not out:
        raise ConfigError("Cannot classify an indicator with no values.", hint="Compute the indicator first.")
    return out


def _edges(bins: Sequence[float], data: list[float]) -> list[float]:
    """``[min, *bins]``; the first class may hold the minimum only (``min == bins[0]``)."""
    return [data[0], *_dedupe([float(b) for b in bins])]


def jenks_breaks(values: Sequence[float | None], *, classes: int = 5) -> list[float]:
    """Fisher–Jenks natural breaks (:class:`mapclassify.FisherJenks`): the edges minimising the
    within-class sum of squares.

    Parameters
    ----------
    values:
        The data (``None`` and non-finite values are ignored).
    classes:
        Wanted number of classes; fewer when there are fewer distinct values.

    Returns
    -------
    list of float
        ``[min, upper_1, …, max]``, the class upper bounds are data values.

    Examples
    --------
    >>> jenks_breaks([1, 2, 3, 10, 11, 12, 30], classes=3)
    [1.0, 3.0, 12.0, 30.0]
    """
    data = _clean(values)
    k = max(1, min(classes, len(set(data))))
    if k == 1:
        return [data[0], data[-1]]
    with warnings.catch_warnings():  # without numba mapclassify warns and runs in pure Python:
        warnings.simplefilter("ignore", UserWarning)  # fine for the tens of wards classified here
        import mapclassify  # noqa: PLC0415 — here: `dothi --help` must not load scikit-learn and pandas

        bins = mapclassify.FisherJenks(np.asarray(data), k=k).bins
    return _edges(bins, data)


def quantile_breaks(values: Sequence[float | None], *, classes: int = 5) -> list[float]:
    """Edges holding (about) the same number of values per class (:class:`mapclassify.Quantiles`,
    linear interpolation).

    Examples
    --------
    >>> quantile_breaks([0, 1, 2, 3, 4], classes=2)
    [0.0, 2.0, 4.0]
    """
    data = _clean(values)
    k = max(1, min(classes, len(set(data))))
    if k == 1:
        return [data[0], data[-1]]
    with warnings.catch_warnings():  # mapclassify warns when quantiles coincide; _dedupe merges them
        warnings.simplefilter("ignore", UserWarning)
        import mapclassify  # noqa: PLC0415

        bins = mapclassify.Quantiles(np.asarray(data), k=k).bins
    return _edges(bins, data)


def _dedupe(edges: list[float]) -> list[float]:
    out = [edges[0]]
    for e in edges[1:]:
        if e > out[-1]:
            out.append(e)
    return out if len(out) > 1 else [edges[0], edges[0]]


def nice_edges(edges: Sequence[float]) -> list[float]:
    """Round edges to a unit of one or two significant digits of the data range.

    Every edge is rounded up (the lower edge down), so each class keeps its largest value and every
    value stays covered.  The unit is refined until the rounded edges are
    strictly increasing.

    Examples
    --------
    >>> nice_edges([428.5, 1724.8, 6542.0, 23472.1])
    [0.0, 2000.0, 7000.0, 24000.0]
    """
    lo, hi = float(edges[0]), float(edges[-1])
    if hi <= lo:
        return [lo, hi]
    unit = 10.0 ** (math.floor(math.log10(hi - lo)) - 1)
    for _ in range(12):
        rounded = [
            math.floor(lo / unit) * unit,
            *(math.ceil(e / unit) * unit for e in edges[1:-1]),
            math.ceil(hi / unit) * unit,
        ]
        if rounded[0] >= rounded[1]:  # a first class holding only the minimum
            rounded[0] = rounded[1] - unit
        rounded = [_tidy(r, unit) for r in rounded]
        if all(b > a for a, b in pairwise(rounded)):
            return rounded
        unit /= 10.0
    return [float(e) for e in edges]


def _tidy(value: float, unit: float) -> float:
    """Drop floating-point noise (``0.30000000000000004`` → ``0.3``)."""
    digits = max(0, -math.floor(math.log10(unit)))
    return round(value, digits)


def classify(values: Sequence[float | None], *, method: Method = "jenks", classes: int = 5) -> list[float]:
    """Rounded class edges of ``values`` by ``method`` (``jenks`` or ``quantile``)."""
    if method not in METHODS:
        raise ConfigError(
            f"Unknown classification method {method!r}.", hint=f"Use one of: {', '.join(METHODS)}."
        )
    raw = (
        jenks_breaks(values, classes=classes)
        if method == "jenks"
        else quantile_breaks(values, classes=classes)
    )
    return nice_edges(raw)


def widen(edges: Sequence[float], low: float, high: float) -> list[float]:
    """``edges`` with the first lowered to ``low`` and the last raised to ``high`` when they lie
    outside, rounded outwards to the unit of the edges.

    Examples
    --------
    >>> widen([0.0, 2000.0, 7000.0, 24000.0], -3.2, 31234.5)
    [-100.0, 2000.0, 7000.0, 31300.0]
    """
    out = [float(e) for e in edges]
    span = max(out[-1], high) - min(out[0], low)
    unit = 10.0 ** (math.floor(math.log10(span)) - 2) if span > 0 else 1.0
    if low < out[0]:
        out[0] = _tidy(math.floor(low / unit) * unit, unit)
    if high > out[-1]:
        out[-1] = _tidy(math.ceil(high / unit) * unit, unit)
    return out
