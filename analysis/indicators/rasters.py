"""Raster inputs as arrays: cell centres as points, values sampled at points.

The runner reads each COG listed in ``catalog.rasters`` into a :class:`Raster` (band 1, nodata as
NaN, in the file's own CRS); these helpers stay pure (no file or database access).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from affine import Affine
from pyproj import CRS


@dataclass(frozen=True)
class Raster:
    """One raster layer (one year) in memory."""

    layer: str
    array: np.ndarray  # 2-D float, NaN where nodata
    transform: Affine
    crs: CRS
    year: int | None = None

    @property
    def cell_area(self) -> float:
        """Area of one cell in the raster CRS's units squared."""
        return abs(self.transform.a * self.transform.e - self.transform.b * self.transform.d)


def _apply(t: Affine, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An affine transform applied to coordinate arrays."""
    return t.a * x + t.b * y + t.c, t.d * x + t.e * y + t.f


def cell_centres(raster: Raster, *, positive_only: bool = True) -> gpd.GeoDataFrame:
    """Cells with a value as points at their centres (``value`` column), in the raster CRS.

    Examples
    --------
    >>> r = Raster("pop", np.array([[1.0, np.nan], [0.0, 4.0]]), Affine(100, 0, 0, 0, -100, 200),
    ...            CRS.from_epsg(32648))
    >>> cell_centres(r).get_coordinates().values.tolist(), cell_centres(r)["value"].tolist()
    ([[50.0, 150.0], [150.0, 50.0]], [1.0, 4.0])
    """
    arr = raster.array
    keep = np.isfinite(arr) & ((arr > 0) if positive_only else True)
    rows, cols = np.nonzero(keep)
    xs, ys = _apply(raster.transform, cols + 0.5, rows + 0.5)
    return gpd.GeoDataFrame({"value": arr[rows, cols]}, geometry=gpd.points_from_xy(xs, ys), crs=raster.crs)


def sample(raster: Raster, points: gpd.GeoSeries) -> np.ndarray:
    """Values of the cells under ``points`` (NaN outside the raster or on nodata)."""
    xy = points.to_crs(raster.crs).get_coordinates().to_numpy()
    cols, rows = _apply(~raster.transform, xy[:, 0], xy[:, 1])
    rows, cols = np.floor(rows).astype(int), np.floor(cols).astype(int)
    h, w = raster.array.shape
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    out = np.full(len(xy), np.nan)
    out[inside] = raster.array[rows[inside], cols[inside]]
    return out
