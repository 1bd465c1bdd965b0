"""Urban form: building coverage ratio and floor-area ratio per street block and per ward.

Blocks are the faces enclosed by street centre lines (``shapely.polygonize`` of the noded street
network, every road class).  Floors come from ``floors``, else ``height_m`` / storey height, else a
default; floor area = footprint × floors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.overlay import pair_areas
from analysis.indicators.reporting import assemble, result_rows, unit_of_points, ward_and_city_rows
from gis.crs import require_metric

Inputs = Mapping[str, Any]


def street_blocks(lines: np.ndarray) -> np.ndarray:
    """Polygons enclosed by the (noded) lines.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> grid = [LineString([(0, y), (200, y)]) for y in (0, 100)]
    >>> grid += [LineString([(x, 0), (x, 100)]) for x in (0, 100, 200)]
    >>> sorted(shapely.area(street_blocks(grid)).tolist())
    [10000.0, 10000.0]
    """
    noded = shapely.unary_union(shapely.get_parts(np.asarray(lines, dtype=object)))
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))


def building_floors(buildings: gpd.GeoDataFrame, *, storey_m: float, default: float) -> np.ndarray:
    floors = pd.to_numeric(buildings.get("floors"), errors="coerce")
    height = pd.to_numeric(buildings.get("height_m"), errors="coerce")
    from_height = (height / storey_m).round().clip(lower=1)
    return floors.where(floors > 0, from_height).fillna(default).to_numpy(dtype=float)


def footprint_sums(buildings: gpd.GeoDataFrame, floors: np.ndarray, zones: np.ndarray) -> pd.DataFrame:
    """Footprint and floor area (m²) of the buildings inside each zone (pieces clipped)."""
    geoms = buildings.geometry.to_numpy()
    zone_idx, b_idx = shapely.STRtree(geoms).query(zones, predicate="intersects")
    piece = pair_areas(zones[zone_idx], geoms[b_idx])
    return pd.DataFrame(
        {
            "footprint": np.bincount(zone_idx, weights=piece, minlength=len(zones)),
            "floor_area": np.bincount(zone_idx, weights=piece * floors[b_idx], minlength=len(zones)),
            "area": shapely.area(zones),
        }
    )


def _finish(s: pd.DataFrame) -> pd.DataFrame:
    area = s["area"].astype(float).where(s["area"] > 0)
    return pd.DataFrame(
        {
            "area_m2": s["area"].to_numpy(),
            "footprint_m2": s["footprint"].to_numpy(),
            "floor_area_m2": s["floor_area"].to_numpy(),
            "coverage_pct": (100.0 * s["footprint"] / area).to_numpy(),
            "far": (s["floor_area"] / area).to_numpy(),
        }
    )


def building_form_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """Coverage ratio (%) and floor-area ratio per street block, ward and city."""
    units = inputs["admin_units"]
    buildings = inputs["buildings"]
    require_metric(buildings.crs, what="layer land.buildings")
    floors = building_floors(
        buildings, storey_m=float(params["storey_height_m"]), default=float(params["default_floors"])
    )
    latest = units[units["vintage"] == units["vintage"].max()]
    blocks = street_blocks(inputs["roads"].geometry.to_numpy())
    inside = unit_of_points(
        gpd.GeoDataFrame(geometry=shapely.point_on_surface(blocks), crs=units.crs), latest
    )
    blocks = blocks[inside.notna().to_numpy()]
    parts = ward_and_city_rows(
        units, footprint_sums(buildings, floors, units.geometry.to_numpy()).set_axis(units.index), _finish
    )
    if len(blocks):
        rep = shapely.get_coordinates(shapely.point_on_surface(blocks))
        raw = pd.Series([f"block-E{x:.0f}N{y:.0f}" for x, y in rep])
        ids = raw.where(~raw.duplicated(), raw + "-" + raw.index.astype(str)).tolist()
        values = _finish(footprint_sums(buildings, floors, blocks))
        parts.append(result_rows("block", ids, None, (None, None), values, blocks))
    return assemble(parts, units.crs, levels=("city", "ward", "block"))
