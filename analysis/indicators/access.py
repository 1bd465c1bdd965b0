"""Accessibility: who lives within walking distance of what, and floating-catchment supply ratios.

Distances are walking distances on the network of :mod:`analysis.indicators.network`, from
population points (:mod:`analysis.indicators.population`) to the nearest destination of a type,
one multi-source shortest-path pass per destination type.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.network import Network, build_network, distances_from_each
from gis.crs import require_metric


def walk_network(roads: gpd.GeoDataFrame) -> Network:
    """The walking network of the ``walkable = true`` streets of ``infrastructure.roads``."""
    require_metric(roads.crs, what="layer infrastructure.roads")
    walkable = roads[roads["walkable"].fillna(False).astype(bool)]
    if walkable.empty:
        raise ValueError(
            "layer infrastructure.roads has no street with walkable = true; load streets pedestrians may use"
        )
    return build_network(walkable.geometry.to_numpy(), topology=street_topology(walkable))


def street_topology(roads: gpd.GeoDataFrame) -> str:
    """``"shared_nodes"`` when every street is an OpenStreetMap way (``road_id`` ``osm:w…``, as the
    OSM loader writes them): streets meet where OSM says they do, at shared nodes, so bridges and
    tunnels stay grade-separated.  Otherwise ``"crossings"``: lines drawn without topology meet
    wherever they cross.

    Examples
    --------
    >>> street_topology(gpd.GeoDataFrame({"road_id": ["osm:w1", "osm:w2"]}))
    'shared_nodes'
    >>> street_topology(gpd.GeoDataFrame({"road_id": ["osm:w1", "syn-7"]}))
    'crossings'
    """
    ids = roads["road_id"].astype("string") if "road_id" in roads.columns else pd.Series([], dtype="string")
    from_osm = len(ids) > 0 and bool(ids.str.startswith("osm:w").fillna(False).all())
    return "shared_nodes" if from_osm else "crossings"


def point_xy(frame: gpd.GeoDataFrame, *, layer: str) -> np.ndarray:
    """Coordinates of point features (representative points of other geometries)."""
    require_metric(frame.crs, what=f"layer {layer}")
    geoms = frame.geometry.to_numpy()
    geoms = np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.point_on_surface(geoms))
    return shapely.get_coordinates(geoms).reshape(-1, 2)


def boundary_entries(polygons: gpd.GeoSeries, *, spacing_m: float) -> np.ndarray:
    """Points every ``spacing_m`` along polygon outlines (possible entrances of parks, squares).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> boundary_entries(gpd.GeoSeries([box(0, 0, 100, 100)], crs="EPSG:32648"), spacing_m=100).tolist()
    [[100.0, 0.0], [100.0, 100.0], [0.0, 100.0], [0.0, 0.0]]
    """
    require_metric(polygons.crs, what="open space outlines")
    rings = shapely.get_parts(shapely.boundary(polygons.to_numpy()))
    if len(rings) == 0:
        return np.zeros((0, 2))
    lengths = shapely.length(rings)
    counts = np.maximum(np.ceil(lengths / spacing_m).astype(int), 1)
    ring_of = np.repeat(np.arange(len(rings)), counts)
    step = np.concatenate([np.arange(c) for c in counts]) * (lengths[ring_of] / counts[ring_of])
    return shapely.get_coordinates(shapely.line_interpolate_point(rings[ring_of], step))


def two_step_fca(distances: np.ndarray, supply: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Two-step floating catchment area (Luo & Wang 2003) accessibility of every origin.

    Step 1: each facility's ratio ``R_j = S_j / Σ_i P_i`` over the origins within its catchment
    (``distances[j, i]`` finite).  Step 2: each origin's ``A_i = Σ_j R_j`` over the facilities
    whose catchment contains it.  ``Σ_i P_i A_i`` equals the supply of facilities reaching anyone.

    Examples
    --------
    >>> d = np.array([[100.0, np.inf], [200.0, 300.0]])
    >>> two_step_fca(d, supply=np.array([10.0, 30.0]), demand=np.array([100.0, 200.0])).tolist()
    [0.2, 0.1]
    """
    within = np.isfinite(distances)
    catchment_demand = within @ demand
    ratio = np.divide(supply, catchment_demand, out=np.zeros(len(supply)), where=catchment_demand > 0)
    return ratio @ within


def accessibility_2sfca(
    net: Network,
    origins_xy: np.ndarray,
    demand: np.ndarray,
    facilities_xy: np.ndarray,
    supply: np.ndarray,
    *,
    catchment_m: float,
) -> np.ndarray:
    """2SFCA accessibility per origin with walking-network catchments of ``catchment_m``."""
    if len(facilities_xy) == 0:
        return np.zeros(len(origins_xy))
    dist = distances_from_each(net, origins_xy, facilities_xy, limit=catchment_m)
    return two_step_fca(dist, supply, demand)


def within_any(distances: Mapping[str, np.ndarray], thresholds: Mapping[str, float]) -> np.ndarray:
    """True where any destination set is within its threshold."""
    served = [distances[k] <= thresholds[k] for k in thresholds]
    return np.logical_or.reduce(served) if served else np.zeros(0, dtype=bool)


def type_filter(frame: gpd.GeoDataFrame, column: str, wanted: str, *, parameter: str) -> gpd.GeoDataFrame:
    """Rows whose ``column`` is in the comma-separated ``wanted`` (empty: all)."""
    values = {v.strip() for v in str(wanted or "").split(",") if v.strip()}
    if not values:
        return frame
    unknown = values - set(frame[column].dropna().unique())
    if unknown == values:
        raise ValueError(f"{parameter}={wanted!r}: no feature has {column} in {sorted(values)}")
    return frame[frame[column].isin(values)]


def numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").fillna(0.0).to_numpy(dtype=float)
