"""Areas of unions and their intersections per reporting unit, computed tile by tile.

A union of tens of thousands of polygons (street carriageways, parks, land-use zones) over a whole
city is slow in GEOS and grows worse than linearly with the city; the same union cut into square
tiles is a set of small, independent problems.  Tiles partition the plane (their shared edges have
no area), so the per-unit sums are the areas of the whole-city overlay, up to the precision grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Precision of the overlay (metres): coordinates are snapped to this grid so that overlapping
#: real-world polygons do not make GEOS fail with "side location conflict".
GRID_M = 0.01
#: Side of the square processing tiles (metres).
TILE_M = 1000.0


@dataclass(frozen=True)
class Overlay:
    """An area to measure: the intersection of ``within`` minus the union of ``minus``.

    Each entry of ``within`` is a layer name, or a tuple of names meaning their union.
    """

    within: tuple[str | tuple[str, ...], ...]
    minus: tuple[str, ...] = ()


def tile_boxes(bounds: Sequence[float], *, size: float = TILE_M) -> np.ndarray:
    """Square tiles of ``size`` metres covering ``bounds`` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bounds
    xs = np.arange(np.floor(minx / size) * size, maxx, size)
    ys = np.arange(np.floor(miny / size) * size, maxy, size)
    gx, gy = np.meshgrid(xs, ys)
    return shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size, gy.ravel() + size)


def pair_areas(zones: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """``area(zones[i] ∩ polygons[i])`` for aligned arrays of pairs (e.g. from ``STRtree.query``).

    A polygon inside its zone counts whole and a zone inside its polygon counts whole; only the
    pairs that cross need a real intersection — most pairs, when small features meet large zones.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> zones = np.array([box(0, 0, 10, 10)] * 3)
    >>> polys = np.array([box(1, 1, 2, 2), box(-5, -5, 20, 20), box(5, 5, 15, 6)])
    >>> pair_areas(zones, polys).tolist()
    [1.0, 100.0, 5.0]
    """
    shapely.prepare(zones)
    shapely.prepare(polygons)
    areas = np.empty(len(zones))
    inside = shapely.contains_properly(zones, polygons)
    areas[inside] = shapely.area(polygons[inside])
    rest = ~inside
    covers = np.zeros(len(zones), dtype=bool)
    covers[rest] = shapely.contains_properly(polygons[rest], zones[rest])
    areas[covers] = shapely.area(zones[covers])
    cross = rest & ~covers
    areas[cross] = shapely.area(shapely.intersection(zones[cross], polygons[cross]))
    return areas


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``geom``: overlays at a precision grid may add collapsed lines and points."""
    if shapely.get_type_id(geom) in (3, 6):  # Polygon, MultiPolygon
        return geom
    parts = shapely.get_parts(shapely.get_parts(geom))
    return shapely.multipolygons(parts[shapely.get_type_id(parts) == 3])


def polygonal_all(geoms: np.ndarray) -> np.ndarray:
    """:func:`polygonal` of each geometry: ``make_valid`` turns a polygon with a spike or a
    collapsed ring into a collection of a polygon and lines, which GEOS overlays refuse
    ("mixed-dimension"); the lines and points have no area.

    >>> g = shapely.from_wkt("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0, -5 -5, 0 0))")
    >>> [int(shapely.get_type_id(x)) for x in polygonal_all(shapely.make_valid(np.array([g])))]
    [6]
    """
    out = np.array(geoms, dtype=object)
    odd = ~shapely.is_missing(out) & ~np.isin(shapely.get_type_id(out), (3, 6))
    out[odd] = [polygonal(g) for g in out[odd]]
    return out


def _union_in(
    tile: shapely.Geometry, parts: np.ndarray, tree: shapely.STRtree, grid: float
) -> shapely.Geometry:
    hits = tree.query(tile, predicate="intersects")
    if not len(hits):
        return shapely.Polygon()
    clipped = shapely.intersection(parts[hits], tile, grid_size=grid)
    return polygonal(shapely.union_all([polygonal(g) for g in clipped], grid_size=grid))


def areas_by_unit(
    units: gpd.GeoDataFrame,
    layers: Mapping[str, np.ndarray],
    outputs: Mapping[str, Overlay],
    *,
    tile: float = TILE_M,
    grid: float = GRID_M,
) -> pd.DataFrame:
    """Area (m²) of each overlay per unit.

    Parameters
    ----------
    units:
        Reporting units (metric CRS); the result is indexed like them.
    layers:
        Name → array of polygons; each layer counts as the union of its polygons (overlaps once).
    outputs:
        Output column → the overlay of layers it measures.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> units = gpd.GeoDataFrame(geometry=[box(0, 0, 3000, 1000)], crs="EPSG:32648")
    >>> parks = np.array([box(500, 0, 2500, 1000), box(1000, 0, 1500, 1000)])  # overlap counted once
    >>> pond = np.array([box(2000, 0, 2200, 1000)])
    >>> float(areas_by_unit(units, {"parks": parks, "water": pond},
    ...               {"parks": Overlay(("parks",), minus=("water",))})["parks"].iloc[0])
    1800000.0
    """
    sums = {column: np.zeros(len(units)) for column in outputs}
    unit_geoms = polygonal_all(shapely.make_valid(units.geometry.to_numpy()))
    parts = {name: valid_parts(geoms)[0] for name, geoms in layers.items()}
    trees = {name: shapely.STRtree(geoms) for name, geoms in parts.items()}
    unit_tree = shapely.STRtree(unit_geoms)
    for box in tile_boxes(units.total_bounds, size=tile) if len(units) else []:
        in_units = unit_tree.query(box, predicate="intersects")
        if not len(in_units):
            continue
        areas = tile_areas(box, unit_geoms[in_units], parts, trees, outputs, grid=grid)
        for column, values in areas.items():
            sums[column][in_units] += values
    return pd.DataFrame(sums, index=units.index)


def valid_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The valid, non-empty polygons of a layer and which input rows they are (a boolean mask)."""
    valid = polygonal_all(shapely.make_valid(np.asarray(geoms, dtype=object)))
    keep = ~shapely.is_missing(valid) & ~shapely.is_empty(valid)
    return valid[keep], keep


def tile_areas(
    box: shapely.Geometry,
    unit_geoms: np.ndarray,
    parts: Mapping[str, np.ndarray],
    trees: Mapping[str, shapely.STRtree],
    outputs: Mapping[str, Overlay],
    *,
    grid: float = GRID_M,
    unions: Mapping[str, shapely.Geometry] | None = None,
) -> dict[str, np.ndarray]:
    """Area of each overlay inside one tile, per unit of ``unit_geoms`` (those meeting the tile).

    A tile's areas depend only on the polygons meeting it: an edit changes the tiles it touches.
    ``unions``: the layers' unions in the tile (:func:`tile_unions`) when already known.
    """
    if unions is None:
        unions = tile_unions(box, parts, trees, grid=grid)
    out = {}
    for column, overlay in outputs.items():
        geom = _overlay(overlay, unions, grid)
        if geom.is_empty:
            out[column] = np.zeros(len(unit_geoms))
            continue
        shapely.prepare(geom)
        out[column] = shapely.area(shapely.intersection(unit_geoms, geom, grid_size=grid))
    return out


def tile_unions(
    box: shapely.Geometry,
    parts: Mapping[str, np.ndarray],
    trees: Mapping[str, shapely.STRtree],
    *,
    grid: float = GRID_M,
) -> dict[str, shapely.Geometry]:
    """Each layer's union inside one tile."""
    return {name: _union_in(box, parts[name], trees[name], grid) for name in parts}


def overlay_layers(overlay: Overlay) -> set[str]:
    """The layers an overlay reads."""
    names = {n for entry in overlay.within for n in ((entry,) if isinstance(entry, str) else entry)}
    return names | set(overlay.minus)


def _overlay(overlay: Overlay, unions: Mapping[str, shapely.Geometry], grid: float) -> shapely.Geometry:
    geom: shapely.Geometry | None = None
    for entry in overlay.within:
        names = (entry,) if isinstance(entry, str) else entry
        part = polygonal(shapely.union_all([unions[n] for n in names], grid_size=grid))
        geom = part if geom is None else polygonal(shapely.intersection(geom, part, grid_size=grid))
        if geom.is_empty:
            return geom
    if geom is None:
        return shapely.Polygon()
    for name in overlay.minus:
        if not unions[name].is_empty:
            geom = polygonal(shapely.difference(geom, unions[name], grid_size=grid))
    return geom
