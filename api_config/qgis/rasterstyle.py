"""Renderers of the catalog's rasters in the QGIS project: elevation as a hypsometric ramp, the
population grid graduated (quantile classes of :mod:`api_config.styling.breaks`, computed once from
the raster's own cells), built-up share by class.  Plain data for the driver, which builds QGIS's
colour-ramp shader from it.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import rasterio

from api_config.styling.breaks import classify
from api_config.styling.model import format_number
from api_config.styling.palette import BUILT_UP_CLASSES, ELEVATION_RAMP, POPULATION_RAMP, ramp_colours

#: Interpolated (continuous) or discrete (class ``(previous, value]`` takes the colour) shaders.
Stop = tuple[float, str, str]


def _values(path: Path) -> np.ndarray:
    with rasterio.open(path) as src:
        data = src.read(1, masked=True)
    return np.asarray(data.compressed(), dtype="float64")


def _elevation(path: Path) -> dict[str, Any]:
    values = _values(path)
    low, high = (float(v) for v in np.percentile(values, [2, 98])) if values.size else (0.0, 10.0)
    if high <= low:
        high = low + 1.0
    n = len(ELEVATION_RAMP) - 1
    stops = [
        (low + (high - low) * i / n, colour, f"{format_number(round(low + (high - low) * i / n, 1))} m")
        for i, colour in enumerate(ELEVATION_RAMP)
    ]
    return {"type": "interpolated", "stops": stops}


def _population(path: Path) -> dict[str, Any]:
    values = _values(path)
    values = values[values > 0]
    if not values.size:
        return {"type": "discrete", "stops": [(1.0, POPULATION_RAMP[-1], "> 0")]}
    edges = classify(values.tolist(), method="quantile", classes=len(POPULATION_RAMP))
    colours = ramp_colours(POPULATION_RAMP, len(edges) - 1)
    stops = [
        (upper, colours[i], f"{format_number(lower)} – {format_number(upper)} người / persons")
        for i, (lower, upper) in enumerate(pairwise(edges))
    ]
    stops.insert(0, (0.0, "#ffffff00", "0"))
    return {"type": "discrete", "stops": stops}


def _built_up() -> dict[str, Any]:
    return {
        "type": "discrete",
        "stops": [(upper, c, f"{vi} / {en}") for upper, c, vi, en in BUILT_UP_CLASSES],
    }


def raster_style(name: str, path: Path) -> dict[str, Any] | None:
    """The shader of a catalog raster (``None``: QGIS's default, e.g. for land cover)."""
    if not path.is_file():
        return None
    if name == "elevation":
        return _elevation(path)
    if name == "population_grid":
        return _population(path)
    if name == "built_up":
        return _built_up()
    return None
