"""Flood exposure by water level with hydrological connectivity (a "bathtub" model that floods only
low land connected to rivers and canals).

For a level ``h``: cells of the elevation raster at or below ``h`` form connected regions
(4-neighbour ``scipy.ndimage.label``); only regions touching a river or canal cell are flooded.
A low-lying area enclosed by higher ground (behind a dyke) stays dry.  Population points, building
centroids and 10 m pieces of road are counted where the cell under them is flooded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import features
from scipy import ndimage

from analysis.indicators.population import population_origins
from analysis.indicators.rasters import Raster, sample
from analysis.indicators.reporting import (
    assemble,
    grid_rows,
    in_study_area,
    point_sums_by_unit,
    share,
    ward_and_city_rows,
)
from gis.crs import require_metric

Inputs = Mapping[str, Any]
LEVEL_KEYS = ("h1", "h2", "h3")


def connected_flood(elevation: np.ndarray, water: np.ndarray, level: float) -> np.ndarray:
    """Cells at or below ``level`` connected (4-neighbour) to a water cell; water cells included.

    Examples
    --------
    >>> elev = np.array([[0.5, 1.0, 3.0, 1.0]])
    >>> water = np.array([[True, False, False, False]])
    >>> connected_flood(elev, water, 1.5).tolist()  # the last cell is low but cut off by the 3 m ridge
    [[True, True, False, False]]
    """
    low = (np.nan_to_num(elevation, nan=np.inf) <= level) | water
    labels, _ = ndimage.label(low)
    wet = np.unique(labels[water & (labels > 0)])
    return np.isin(labels, wet[wet > 0])


def water_mask(raster: Raster, water: gpd.GeoDataFrame) -> np.ndarray:
    """Cells of ``raster`` touched by the water polygons."""
    if water.empty:
        return np.zeros(raster.array.shape, dtype=bool)
    geoms = water.geometry.to_crs(raster.crs).to_numpy()
    return features.rasterize(
        [(g, 1) for g in geoms], out_shape=raster.array.shape, transform=raster.transform, all_touched=True
    ).astype(bool)


def road_pieces(roads: gpd.GeoDataFrame, *, step_m: float = 10.0) -> gpd.GeoDataFrame:
    """Roads cut into pieces of at most ``step_m``: midpoints with their length in km."""
    require_metric(roads.crs, what="layer infrastructure.roads")
    dense = shapely.segmentize(roads.geometry.to_numpy(), step_m)
    coords, idx = shapely.get_coordinates(shapely.get_parts(dense), return_index=True)
    same = idx[1:] == idx[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    mid = (a + b) / 2
    km = np.hypot(*(b - a).T) / 1000.0
    return gpd.GeoDataFrame({"road_km": km}, geometry=gpd.points_from_xy(mid[:, 0], mid[:, 1]), crs=roads.crs)


def flood_levels(params: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(params[f"level_{i}_m"]) for i, k in enumerate(LEVEL_KEYS, start=1)}


def _exposure_points(
    inputs: Inputs, elevation: Raster, wet: dict[str, np.ndarray]
) -> tuple[gpd.GeoDataFrame, str]:
    crs = inputs["admin_units"].crs
    origins = population_origins(inputs)
    frames = [origins.points[["population", "geometry"]].assign(buildings=0.0, road_km=0.0)]
    buildings = inputs.get("buildings")
    if buildings is not None and len(buildings):
        frames.append(
            gpd.GeoDataFrame(
                {"population": 0.0, "buildings": 1.0, "road_km": 0.0},
                index=range(len(buildings)),
                geometry=buildings.geometry.centroid.to_numpy(),
                crs=crs,
            )
        )
    frames.append(road_pieces(inputs["roads"]).assign(population=0.0, buildings=0.0))
    pts = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)
    for key, mask in wet.items():
        wet_raster = Raster(elevation.layer, mask.astype(float), elevation.transform, elevation.crs)
        flooded = sample(wet_raster, pts.geometry) == 1.0
        for col in ("population", "buildings", "road_km"):
            pts[f"{col}_{key}"] = np.where(flooded, pts[col], 0.0)
    return pts, origins.method


def flood_exposure_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """Population, buildings and road km in connected cells at or below three water levels."""
    elevation: Raster = inputs["elevation"]
    units = inputs["admin_units"]
    water = inputs["water_bodies"]
    kinds = {t.strip() for t in str(params["water_types"]).split(",") if t.strip()}
    water = water[water["type"].isin(kinds)]
    if water.empty:
        raise ValueError(
            f"layer environment.water_bodies has no feature of type {sorted(kinds)} (water_types)"
        )
    levels = flood_levels(params)
    wmask = water_mask(elevation, water)
    wet = {k: connected_flood(elevation.array, wmask, h) for k, h in levels.items()}
    pts, method = _exposure_points(inputs, elevation, wet)
    cols = [c for c in pts.columns if c != "geometry"]

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        out: dict[str, Any] = {
            "population": s["population"].to_numpy(),
            "buildings": s["buildings"].to_numpy(),
            "road_km": s["road_km"].to_numpy(),
        }
        for key, h in levels.items():
            out[f"level_{key}_m"] = h
            out[f"population_{key}"] = s[f"population_{key}"].to_numpy()
            out[f"population_{key}_pct"] = share(s[f"population_{key}"], s["population"]).to_numpy()
            out[f"buildings_{key}"] = s[f"buildings_{key}"].to_numpy()
            out[f"road_km_{key}"] = s[f"road_km_{key}"].to_numpy()
        out["population_source"] = method
        return pd.DataFrame(out)

    parts = ward_and_city_rows(units, point_sums_by_unit(pts, units, cols), finish)
    parts.append(grid_rows(in_study_area(pts, units), cols, finish))
    return assemble(parts, units.crs)
