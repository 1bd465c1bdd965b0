"""A walkability index in the manner of the Global Healthy and Sustainable City Indicators (GHSCI).

For every population point: local population density and intersection density in its **network
neighbourhood** — the streets reachable within 1 km along the walking network, buffered by 50 m
(the GHSCI "sausage" buffer; :mod:`analysis.indicators.neighbourhood`) — and a daily-living score
0–3 — one point each for a fresh-food market, a convenience shop and a public-transport stop within a
walking distance (default 500 m, network distance).
``walkability = z(population density) + z(intersection density) + z(daily living)`` with z-scores
over all points of the study area; ward, city and grid values are population-weighted means, so the
index compares places *within* one city (0 = the city average).  ``network_neighbourhood = false``
gives the earlier approximation, a straight-line 1 km circle, for comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from analysis.indicators.access import point_xy, walk_network
from analysis.indicators.neighbourhood import (
    buffer_area_by_edge,
    counts_by_node,
    neighbourhood_sums,
    spacing,
    weights_by_edge,
)
from analysis.indicators.network import Network, consolidated_intersections, nearest_distances
from analysis.indicators.population import Origins, population_origins
from analysis.indicators.reporting import (
    assemble,
    grid_rows,
    in_study_area,
    point_sums_by_unit,
    ward_and_city_rows,
)

Inputs = Mapping[str, Any]


def zscore(values: np.ndarray) -> np.ndarray:
    """Standard score; 0 everywhere when the values do not vary.

    Examples
    --------
    >>> zscore(np.array([1.0, 2.0, 3.0])).tolist()
    [-1.224744871391589, 0.0, 1.224744871391589]
    """
    sd = values.std()
    return (values - values.mean()) / sd if sd > 0 else np.zeros_like(values, dtype=float)


def neighbourhood_density(
    xy: np.ndarray, points: np.ndarray, weights: np.ndarray, *, radius: float
) -> np.ndarray:
    """Σ weights of ``points`` within ``radius`` of each ``xy``, per km² of the circle."""
    if len(points) == 0:
        return np.zeros(len(xy))
    tree = cKDTree(points)
    neighbours = tree.query_ball_point(xy, r=radius)
    sums = np.array([weights[idx].sum() for idx in neighbours])
    return sums / (np.pi * radius**2 / 1e6)


def network_densities(
    net: Network,
    xy: np.ndarray,
    population: np.ndarray,
    intersections: np.ndarray,
    *,
    radius: float,
    buffer_m: float,
    spread_m: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Population and intersections per km² of each point's network neighbourhood (GHSCI).

    ``spread_m``: the population points stand for cells of this size (0 for buildings).
    Points whose neighbourhood has no area get 0.
    """
    cell = min(20.0, buffer_m / 2.5)  # sample the buffer at least 5 times across
    carried = np.column_stack(
        [
            buffer_area_by_edge(net, buffer_m=buffer_m, cell_m=cell),
            weights_by_edge(net, xy, population, buffer_m=buffer_m, spread_m=spread_m, cell_m=cell),
            np.zeros(len(net.edges)),
        ]
    )
    at_nodes = np.zeros((len(net.nodes), 3))
    at_nodes[:, 2] = counts_by_node(net, intersections)
    sums = neighbourhood_sums(net, xy, carried, radius_m=radius, node_values=at_nodes)
    km2 = sums[:, 0] / 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        pop_density = np.where(km2 > 0, sums[:, 1] / km2, 0.0)
        inter_density = np.where(km2 > 0, sums[:, 2] / km2, 0.0)
    return pop_density, inter_density


def walkability_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """Population-weighted walkability index per ward, city and grid cell."""
    units = inputs["admin_units"]
    origins = population_origins(inputs)
    net = walk_network(inputs["roads"])
    walk = float(params["daily_m"])
    xy = origins.xy
    markets, stops = inputs["markets"], inputs["transit_stops"]
    dest = {
        "food": point_xy(
            markets[markets["type"].isin(("market", "supermarket"))], layer="infrastructure.markets"
        ),
        "convenience": point_xy(markets[markets["type"] == "convenience"], layer="infrastructure.markets"),
        "transit": point_xy(stops, layer="infrastructure.transit_stops"),
    }
    dist = nearest_distances(net, xy, dest, limit=walk)
    daily = sum((dist[k] <= walk).astype(float) for k in dest)
    pop_density, inter_density = density_terms(net, origins, params)
    index = zscore(pop_density) + zscore(inter_density) + zscore(np.asarray(daily))
    return walkability_rows(units, origins, index, np.asarray(daily, dtype=float), pop_density, inter_density)


def density_terms(net: Network, origins: Origins, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Population and intersection density of each origin's neighbourhood (network or circle)."""
    radius = float(params["radius_m"])
    xy, pop = origins.xy, origins.population
    inter = consolidated_intersections(net)
    if params.get("network_neighbourhood", True):
        spread = 0.0 if origins.method.startswith("buildings") else spacing(xy)
        return network_densities(
            net, xy, pop, inter, radius=radius, buffer_m=float(params.get("buffer_m", 50.0)), spread_m=spread
        )
    pop_density = neighbourhood_density(xy, xy, pop, radius=radius)
    inter_density = neighbourhood_density(xy, inter, np.ones(len(inter)), radius=radius)
    return pop_density, inter_density


def walkability_rows(  # noqa: PLR0917 - the per-origin terms of the index
    units: gpd.GeoDataFrame,
    origins: Origins,
    index: np.ndarray,
    daily: np.ndarray,
    pop_density: np.ndarray,
    inter_density: np.ndarray,
) -> gpd.GeoDataFrame:
    """Population-weighted means of the per-origin terms per ward, city and grid cell."""
    pop = origins.population
    pts = gpd.GeoDataFrame(
        {
            "population": pop,
            "w_index": pop * index,
            "w_daily": pop * daily,
            "w_pop_density": pop * pop_density,
            "w_inter_density": pop * inter_density,
        },
        geometry=origins.points.geometry.to_numpy(),
        crs=origins.points.crs,
    )
    cols = [c for c in pts.columns if c != "geometry"]

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        p = s["population"].astype(float).where(s["population"] > 0)
        return pd.DataFrame(
            {
                "population": s["population"].to_numpy(),
                "walkability": (s["w_index"] / p).to_numpy(),
                "daily_living": (s["w_daily"] / p).to_numpy(),
                "population_density_km2": (s["w_pop_density"] / p).to_numpy(),
                "intersection_density_km2": (s["w_inter_density"] / p).to_numpy(),
                "population_source": origins.method,
            }
        )

    parts = ward_and_city_rows(units, point_sums_by_unit(pts, units, cols), finish)
    parts.append(grid_rows(in_study_area(pts, units), cols, finish))
    return assemble(parts, units.crs)
