"""Synthetic rasters on north-up grids in EPSG:32648: elevation, built-up by year, population grid.

* ``elevation`` (30 m): the delta's low relief — 0.3–2.5 m above the local datum on land, rising
  with distance from water (≈0.3 m on the banks, ≈2.2 m beyond 1 km) plus smooth noise; water
  surfaces at 0 m.  Calibration: Mỹ Tho's terrain lies mostly 0.5–2 m above mean sea level.
* ``built_up`` (30 m; 2009 and 2019, the census years SDG 11.3.1 pairs it with, and 2015, 2025):
  share of each cell covered by building footprints standing in that year (``year_built``).
* ``population_grid`` (100 m): each ward's census population spread over the cells whose centre lies
  in the ward, in proportion to the residents of the buildings standing in each cell (uniformly
  when a ward has no building), so every ward's grid total equals its census total.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from rasterio import features

from layers.catalog import BUILT_UP, ELEVATION, POPULATION_GRID
from layers.rasters import RasterArray
from layers.synthetic.context import METRIC_SRID, City

CRS = f"EPSG:{METRIC_SRID}"
#: The census years (2009, 2019: SDG 11.3.1 pairs built-up with them) and 2015, 2025.
BUILT_UP_YEARS = (2009, 2015, 2019, 2025)


def grid(city: City, resolution: float) -> tuple[Affine, tuple[int, int]]:
    """Transform and (rows, cols) of a grid snapped to ``resolution`` covering the city."""
    minx, miny, maxx, maxy = city.polygon.bounds
    x0, y1 = np.floor(minx / resolution) * resolution, np.ceil(maxy / resolution) * resolution
    cols = int(np.ceil((maxx - x0) / resolution))
    rows = int(np.ceil((y1 - miny) / resolution))
    return Affine(resolution, 0.0, x0, 0.0, -resolution, y1), (rows, cols)


def _cells(points: np.ndarray, transform: Affine, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Flat cell index of each point, and whether it falls on the grid."""
    xy = shapely.get_coordinates(points)
    col = np.floor((xy[:, 0] - transform.c) / transform.a).astype(int)
    row = np.floor((xy[:, 1] - transform.f) / transform.e).astype(int)
    ok = (row >= 0) & (row < shape[0]) & (col >= 0) & (col < shape[1])
    return np.where(ok, row * shape[1] + col, 0), ok


def zones(city: City, transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Ward number + 1 of each cell (cell centre rule), 0 outside the city."""
    pairs = [(geom, i + 1) for i, geom in enumerate(city.wards.geometry)]
    return features.rasterize(pairs, out_shape=shape, transform=transform, fill=0, dtype="int32")


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], *, cells: int) -> np.ndarray:
    """Bilinearly upsampled coarse Gaussian noise (correlation length ~``cells`` cells)."""
    coarse = rng.normal(0, 1, (shape[0] // cells + 2, shape[1] // cells + 2))
    r = np.arange(shape[0]) / cells
    c = np.arange(shape[1]) / cells
    r0, c0 = np.floor(r).astype(int), np.floor(c).astype(int)
    fr, fc = (r - r0)[:, None], (c - c0)[None, :]
    a = coarse[np.ix_(r0, c0)]
    b = coarse[np.ix_(r0, c0 + 1)]
    d = coarse[np.ix_(r0 + 1, c0)]
    e = coarse[np.ix_(r0 + 1, c0 + 1)]
    return (a * (1 - fr) * (1 - fc) + b * (1 - fr) * fc + d * fr * (1 - fc) + e * fr * fc).astype("float64")


def elevation(city: City, water: gpd.GeoDataFrame) -> RasterArray:
    rng = city.rng("elevation")
    transform, shape = grid(city, ELEVATION.resolution_m)
    inside = zones(city, transform, shape) > 0
    wet_geom = shapely.union_all(water.geometry.to_numpy())
    wet = features.rasterize([(wet_geom, 1)], out_shape=shape, transform=transform, fill=0, dtype="uint8") > 0
    rows, cols = np.nonzero(inside & ~wet)
    xs = transform.c + (cols + 0.5) * transform.a
    ys = transform.f + (rows + 0.5) * transform.e
    shapely.prepare(wet_geom)
    distance = shapely.distance(shapely.points(xs, ys), shapely.simplify(wet_geom, 5.0))
    relief = 0.3 + 1.9 * (1 - np.exp(-distance / 350.0))
    noise = _smooth_noise(rng, shape, cells=20)[rows, cols] * 0.18 + rng.normal(0, 0.04, len(rows))
    out = np.full(shape, ELEVATION.nodata, dtype="float32")
    out[rows, cols] = np.clip(relief + noise, 0.05, 3.0)
    out[inside & wet] = 0.0
    return RasterArray("elevation", out, transform, CRS)


def built_up(city: City, buildings: gpd.GeoDataFrame, year: int) -> RasterArray:
    transform, shape = grid(city, BUILT_UP.resolution_m)
    inside = zones(city, transform, shape) > 0
    standing = buildings[buildings["year_built"] <= year]
    cell, ok = _cells(shapely.centroid(standing.geometry.to_numpy()), transform, shape)
    area = np.zeros(shape[0] * shape[1])
    np.add.at(area, cell[ok], standing.area.to_numpy()[ok])
    share = np.clip(area.reshape(shape) / (transform.a**2), 0.0, 1.0)
    out = np.where(inside, share, BUILT_UP.nodata).astype("float32")
    return RasterArray("built_up", out, transform, CRS, year=year)


def population_grid(city: City, buildings: gpd.GeoDataFrame) -> RasterArray:
    transform, shape = grid(city, POPULATION_GRID.resolution_m)
    zone = zones(city, transform, shape).ravel()
    cell, ok = _cells(shapely.centroid(buildings.geometry.to_numpy()), transform, shape)
    weight = np.zeros(zone.size)
    np.add.at(weight, cell[ok], buildings["residents"].to_numpy()[ok])
    out = np.full(zone.size, POPULATION_GRID.nodata, dtype="float64")
    for ward, population in enumerate(city.wards["population"]):
        mine = zone == ward + 1
        if not mine.any():
            continue
        total = round(int(population) * city.scale)
        w = weight[mine] if weight[mine].sum() > 0 else np.ones(int(mine.sum()))
        out[mine] = total * w / w.sum()
    return RasterArray("population_grid", out.reshape(shape).astype("float32"), transform, CRS)


def rasters(city: City, water: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> list[RasterArray]:
    """Every synthetic raster."""
    return [
        elevation(city, water),
        *(built_up(city, buildings, year) for year in BUILT_UP_YEARS),
        population_grid(city, buildings),
    ]
