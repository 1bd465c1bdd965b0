"""Recipes of the accessibility indicators (SDG 11.2.1, 11.7.1 b, health, education).

Each recipe: population points → walking network → one multi-source pass per destination type →
sums per ward / city / grid cell → shares.  Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.indicators.access import (
    accessibility_2sfca,
    boundary_entries,
    numeric,
    point_xy,
    type_filter,
    walk_network,
    within_any,
)
from analysis.indicators.network import nearest_distances
from analysis.indicators.population import Origins, population_origins
from analysis.indicators.reporting import (
    assemble,
    grid_rows,
    in_study_area,
    point_sums_by_unit,
    share,
    ward_and_city_rows,
)

Inputs = Mapping[str, Any]


def _share_rows(
    inputs: Inputs, origins: Origins, served: np.ndarray, *, grid_m: int = 100
) -> gpd.GeoDataFrame:
    """Rows with population, population_within, share_pct and population_source."""
    units = inputs["admin_units"]
    pts = origins.points.assign(population_within=np.where(served, origins.population, 0.0))[
        ["population", "population_within", "geometry"]
    ]

    def finish(sums: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "population": sums["population"].to_numpy(),
                "population_within": sums["population_within"].to_numpy(),
                "share_pct": share(sums["population_within"], sums["population"]).to_numpy(),
                "population_source": origins.method,
            }
        )

    cols = ["population", "population_within"]
    parts = ward_and_city_rows(units, point_sums_by_unit(pts, units, cols), finish)
    parts.append(grid_rows(in_study_area(pts, units), cols, finish, size=grid_m))
    return assemble(parts, units.crs)


def transit_access_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """SDG 11.2.1: share of people within 500 m of a low- or 1 km of a high-capacity stop."""
    stops = inputs["transit_stops"]
    minimum = int(params["min_weekday_departures"] or 0)
    if minimum > 0:
        stops = stops[numeric(stops, "weekday_departures") >= minimum]
    origins = population_origins(inputs)
    thresholds = {"low": float(params["low_capacity_m"]), "high": float(params["high_capacity_m"])}
    destinations = {
        k: point_xy(stops[stops["capacity"] == k], layer="infrastructure.transit_stops") for k in thresholds
    }
    net = walk_network(inputs["roads"])
    dist = nearest_distances(net, origins.xy, destinations, limit=max(thresholds.values()))
    return _share_rows(inputs, origins, within_any(dist, thresholds))


def _facility_access(
    inputs: Inputs, facilities: gpd.GeoDataFrame, *, layer: str, distance_m: float
) -> gpd.GeoDataFrame:
    origins = population_origins(inputs)
    net = walk_network(inputs["roads"])
    dist = nearest_distances(net, origins.xy, {"f": point_xy(facilities, layer=layer)}, limit=distance_m)
    return _share_rows(inputs, origins, dist["f"] <= distance_m)


def health_access_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """Share of people within a walking distance of a health facility of the chosen types."""
    facilities = type_filter(
        inputs["health_facilities"],
        "type",
        params["facility_types"],
        parameter="health_access.facility_types",
    )
    return _facility_access(
        inputs, facilities, layer="infrastructure.health_facilities", distance_m=float(params["distance_m"])
    )


def health_beds_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """2SFCA beds per 1,000 people, population-weighted over wards, the city and grid cells."""
    facilities = inputs["health_facilities"]
    facilities = facilities[numeric(facilities, "beds") > 0]
    origins = population_origins(inputs)
    net = walk_network(inputs["roads"])
    access = accessibility_2sfca(
        net,
        origins.xy,
        origins.population,
        point_xy(facilities, layer="infrastructure.health_facilities"),
        numeric(facilities, "beds"),
        catchment_m=float(params["catchment_m"]),
    )
    units = inputs["admin_units"]
    pts = origins.points.assign(weighted=origins.population * access)[["population", "weighted", "geometry"]]
    beds = gpd.GeoDataFrame(
        {"population": 0.0, "weighted": 0.0, "beds": numeric(facilities, "beds")},
        geometry=facilities.geometry.to_numpy(),
        crs=facilities.crs,
    )
    pts = pd.concat([pts.assign(beds=0.0), beds], ignore_index=True)

    def finish(sums: pd.DataFrame) -> pd.DataFrame:
        pop = sums["population"].astype(float)
        return pd.DataFrame(
            {
                "population": pop.to_numpy(),
                "beds_in_unit": sums["beds"].to_numpy(),
                "beds_per_1000": (1000.0 * sums["weighted"] / pop.where(pop > 0)).to_numpy(),
                "population_source": origins.method,
            }
        )

    cols = ["population", "weighted", "beds"]
    parts = ward_and_city_rows(units, point_sums_by_unit(pts, units, cols), finish)
    parts.append(grid_rows(in_study_area(pts[pts["population"] > 0], units), cols, finish))
    return assemble(parts, units.crs)


def education_access_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """Children within walking distance of a primary / lower-secondary school; seats per child."""
    schools = inputs["schools"]
    origins = population_origins(inputs)
    net = walk_network(inputs["roads"])
    levels = {"primary": float(params["primary_m"]), "lower_secondary": float(params["lower_secondary_m"])}
    ages = {
        "primary": float(params["primary_age_share"]),
        "lower_secondary": float(params["lower_secondary_age_share"]),
    }
    dest = {k: point_xy(schools[schools["level"] == k], layer="infrastructure.schools") for k in levels}
    dist = nearest_distances(net, origins.xy, dest, limit=max(levels.values()))
    pop = origins.population
    data: dict[str, Any] = {"population": pop}
    for k, walk_m in levels.items():
        data[f"children_{k}"] = pop * ages[k]
        data[f"within_{k}"] = np.where(dist[k] <= walk_m, pop * ages[k], 0.0)
        data[f"seats_{k}"] = 0.0
    pts = gpd.GeoDataFrame(data, geometry=origins.points.geometry.to_numpy(), crs=origins.points.crs)
    seat_rows = {
        f"seats_{k}": np.where(schools["level"] == k, numeric(schools, "capacity"), 0.0) for k in levels
    }
    seat_pts = gpd.GeoDataFrame(seat_rows, geometry=schools.geometry.to_numpy(), crs=schools.crs)
    pts = pd.concat([pts, seat_pts], ignore_index=True).fillna(0.0)
    cols = [c for c in pts.columns if c != "geometry"]

    def finish(sums: pd.DataFrame) -> pd.DataFrame:
        out: dict[str, Any] = {}
        for k in levels:
            children = sums[f"children_{k}"].astype(float)
            out[f"children_{k}"] = children.to_numpy()
            out[f"{k}_within_pct"] = share(sums[f"within_{k}"], children).to_numpy()
            out[f"{k}_seats_per_child"] = (sums[f"seats_{k}"] / children.where(children > 0)).to_numpy()
        out["population_source"] = origins.method
        return pd.DataFrame(out)

    units = inputs["admin_units"]
    parts = ward_and_city_rows(units, point_sums_by_unit(pts, units, cols), finish)
    parts.append(grid_rows(in_study_area(pts[pts["population"] > 0], units), cols, finish))
    return assemble(parts, units.crs)


def open_space_destinations(
    inputs: Inputs, *, min_area_m2: float, open_codes: tuple[str, ...] = ()
) -> gpd.GeoSeries:
    """Open public space: public green spaces (not cemeteries or orchards) and land-use zones whose
    code is in ``open_codes`` (streets excluded: one is not "near a park" by standing in a street)."""
    green = inputs["green_spaces"]
    green = green[green["public"].fillna(False).astype(bool) & ~green["type"].isin(("cemetery", "orchard"))]
    parts = [green.geometry]
    land_use = inputs.get("land_use")
    if land_use is not None:
        parts.append(land_use[land_use["code"].isin([c for c in open_codes if c != "DGT"])].geometry)
    geoms = gpd.GeoSeries(pd.concat(parts, ignore_index=True), crs=green.crs)
    return geoms[geoms.area >= min_area_m2]


def open_space_access_recipe(
    inputs: Inputs, params: dict[str, Any], *, open_codes: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """SDG 11.7.1 (b): share of people within 400 m walking of open public space.

    ``open_codes``: land-use codes that are open public space (bound by the registry from the
    land-use code list).
    """
    spaces = open_space_destinations(inputs, min_area_m2=float(params["min_area_m2"]), open_codes=open_codes)
    entries = boundary_entries(spaces, spacing_m=float(params["entry_spacing_m"]))
    origins = population_origins(inputs)
    net = walk_network(inputs["roads"])
    limit = float(params["distance_m"])
    dist = nearest_distances(net, origins.xy, {"open": entries}, limit=limit)
    return _share_rows(inputs, origins, dist["open"] <= limit)
