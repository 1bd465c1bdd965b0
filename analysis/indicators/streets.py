"""Street network form: intersection density, street density, land in streets, meshedness, gamma."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.access import walk_network
from analysis.indicators.network import consolidated_intersections
from analysis.indicators.openspace import street_buffers
from analysis.indicators.overlay import Overlay, areas_by_unit
from analysis.indicators.reporting import assemble, point_sums_by_unit, share, ward_and_city_rows
from gis.crs import require_metric

Inputs = Mapping[str, Any]


def length_in_units(lines: np.ndarray, units: gpd.GeoDataFrame) -> pd.Series:
    """Length (m) of ``lines`` inside each unit."""
    tree = shapely.STRtree(lines)
    unit_idx, line_idx = tree.query(units.geometry.to_numpy(), predicate="intersects")
    pieces = shapely.length(shapely.intersection(lines[line_idx], units.geometry.to_numpy()[unit_idx]))
    out = np.bincount(unit_idx, weights=pieces, minlength=len(units))
    return pd.Series(out, index=units.index)


def _points(xy: np.ndarray, crs: Any, **columns: float) -> gpd.GeoDataFrame:
    data = {name: np.full(len(xy), value) for name, value in columns.items()}
    return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=crs)


def street_network_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """Per ward and city: 3+-way intersections per km² (merged within the tolerance), street km
    per km², share of land in streets, and meshedness/gamma of the walking network."""
    units = inputs["admin_units"]
    roads = inputs["roads"]
    require_metric(roads.crs, what="layer infrastructure.roads")
    net = walk_network(roads)
    crs = units.crs
    inter = consolidated_intersections(net, tolerance_m=float(params["consolidation_m"]))
    mid = shapely.get_coordinates(shapely.line_interpolate_point(net.edges, 0.5, normalized=True))
    parts = [
        _points(inter, crs, intersections=1.0, nodes=0.0, edges=0.0),
        _points(net.nodes, crs, intersections=0.0, nodes=1.0, edges=0.0),
        _points(mid, crs, intersections=0.0, nodes=0.0, edges=1.0),
    ]
    pts = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=crs)
    sums = point_sums_by_unit(pts, units, ["intersections", "nodes", "edges"])
    all_streets = shapely.get_parts(shapely.line_merge(shapely.unary_union(roads.geometry.to_numpy())))
    sums["street_m"] = length_in_units(all_streets, units)
    streets = areas_by_unit(units, {"streets": street_buffers(roads)}, {"area": Overlay(("streets",))})
    sums["street_area"] = streets["area"]
    sums["area"] = units.geometry.area

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        km2 = s["area"] / 1e6
        v, e = s["nodes"].astype(float), s["edges"].astype(float)
        ok = v >= 3
        return pd.DataFrame(
            {
                "area_km2": km2.to_numpy(),
                "intersections": s["intersections"].to_numpy(),
                "intersection_density_per_km2": (s["intersections"] / km2).to_numpy(),
                "street_km": (s["street_m"] / 1000).to_numpy(),
                "street_density_km_per_km2": (s["street_m"] / 1000 / km2).to_numpy(),
                "street_land_share_pct": share(s["street_area"], s["area"]).to_numpy(),
                "nodes": v.to_numpy(),
                "edges": e.to_numpy(),
                "meshedness": ((e - v + 1) / (2 * v - 5)).where(ok).to_numpy(),
                "gamma": (e / (3 * (v - 2))).where(ok).to_numpy(),
            }
        )

    return assemble(ward_and_city_rows(units, sums, finish), crs)
