"""Open public space (SDG 11.7.1 a) and green area per capita (ISO 37120 19.1).

Areas are unions (overlapping polygons counted once) intersected with each reporting unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import features

from analysis.indicators.overlay import Overlay, areas_by_unit
from analysis.indicators.population import population_origins
from analysis.indicators.rasters import Raster
from analysis.indicators.reporting import assemble, point_sums_by_unit, share, ward_and_city_rows
from gis.crs import require_metric

Inputs = Mapping[str, Any]

#: Street width (m) by road class when ``width_m`` is missing (typical Vietnamese urban cross-sections).
DEFAULT_STREET_WIDTH_M = {
    "motorway": 24.0,
    "trunk": 20.0,
    "primary": 16.0,
    "secondary": 12.0,
    "tertiary": 10.0,
    "residential": 6.0,
    "living_street": 5.0,
    "unclassified": 6.0,
    "service": 4.0,
    "pedestrian": 4.0,
    "track": 3.0,
    "path": 2.0,
    "footway": 2.0,
    "cycleway": 2.0,
    "steps": 2.0,
}


def street_buffers(roads: gpd.GeoDataFrame) -> np.ndarray:
    """Street carriageways: centre lines buffered by half their width (one polygon per road).

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> roads = gpd.GeoDataFrame({"road_class": ["residential"], "width_m": [10.0]},
    ...                          geometry=[LineString([(0, 0), (100, 0)])], crs="EPSG:32648")
    >>> float(shapely.area(street_buffers(roads))[0])  # flat ends: 100 m × 10 m
    1000.0
    """
    require_metric(roads.crs, what="layer infrastructure.roads")
    width = pd.to_numeric(roads.get("width_m"), errors="coerce")
    fallback = roads["road_class"].map(DEFAULT_STREET_WIDTH_M).fillna(6.0)
    width = width.where(width > 0, fallback) if width is not None else fallback
    return shapely.buffer(roads.geometry.to_numpy(), width.to_numpy() / 2.0, cap_style="flat")


def area_in_units(geom: shapely.Geometry, units: gpd.GeoDataFrame) -> pd.Series:
    """Area (m²) of ``geom`` inside each unit."""
    if geom is None or geom.is_empty:
        return pd.Series(0.0, index=units.index)
    shapely.prepare(geom)
    return pd.Series(shapely.area(shapely.intersection(units.geometry.to_numpy(), geom)), index=units.index)


def built_up_parts(inputs: Inputs, *, threshold: float) -> tuple[np.ndarray, np.ndarray, str]:
    """Built-up area as polygons to add and polygons to subtract, and how it was obtained.

    Cells of the latest ``built_up`` raster ≥ threshold; without the raster, the latest units' land
    minus water bodies.
    """
    units = inputs["admin_units"]
    none = np.array([], dtype=object)
    rasters: list[Raster] | None = inputs.get("built_up")
    if rasters:
        latest = rasters[-1]
        mask = np.isfinite(latest.array) & (latest.array >= threshold)
        shapes = [
            shapely.geometry.shape(g)
            for g, _ in features.shapes(mask.astype("uint8"), mask=mask, transform=latest.transform)
        ]
        polys = gpd.GeoSeries(shapes, crs=latest.crs).to_crs(units.crs)
        return polys.to_numpy(), none, f"built_up {latest.year} (share ≥ {threshold})"
    land = units[units["vintage"] == units["vintage"].max()].geometry.to_numpy()
    water = inputs.get("water_bodies")
    if water is not None and len(water):
        return land, water.geometry.to_numpy(), "admin area minus water bodies (no built_up raster)"
    return land, none, "admin area (no built_up raster, no water bodies)"


#: The overlays of SDG 11.7.1 (a): built-up area, open space (streets included) and streets in it.
OPEN_SPACE_OVERLAYS = {
    "built_up": Overlay(("built",), minus=("water",)),
    "open": Overlay(("built", ("streets", "open")), minus=("water",)),
    "streets": Overlay(("built", "streets"), minus=("water",)),
}


def open_space_frames(inputs: Inputs, *, open_codes: tuple[str, ...] = ()) -> dict[str, gpd.GeoDataFrame]:
    """The features that are open public space: public green spaces (not cemeteries or orchards)
    and land-use zones whose code is in ``open_codes``, by layer (in this order)."""
    green = inputs["green_spaces"]
    out = {
        "green_spaces": green[
            green["public"].fillna(False).astype(bool) & ~green["type"].isin(("cemetery", "orchard"))
        ]
    }
    land_use = inputs.get("land_use")
    if land_use is not None:
        out["land_use"] = land_use[land_use["code"].isin(open_codes)]
    return out


def open_space_layers(
    inputs: Inputs, params: dict[str, Any], *, open_codes: tuple[str, ...] = ()
) -> tuple[dict[str, np.ndarray], str]:
    """The polygon layers of :data:`OPEN_SPACE_OVERLAYS` and how the built-up area was obtained."""
    streets = street_buffers(inputs["roads"])
    open_parts = [g for f in open_space_frames(inputs, open_codes=open_codes).values() for g in f.geometry]
    built, minus, method = built_up_parts(inputs, threshold=float(params["built_up_threshold"]))
    layers = {
        "built": built,
        "water": minus,
        "streets": streets,
        "open": np.asarray(open_parts, dtype=object),
    }
    return layers, method


def open_space_share_rows(units: gpd.GeoDataFrame, area: pd.DataFrame, method: str) -> gpd.GeoDataFrame:
    """Ward and city rows from the areas (m²) of :data:`OPEN_SPACE_OVERLAYS` per unit."""
    sums = area[["built_up", "open", "streets"]]

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "built_up_km2": (s["built_up"] / 1e6).to_numpy(),
                "open_space_km2": (s["open"] / 1e6).to_numpy(),
                "streets_km2": (s["streets"] / 1e6).to_numpy(),
                "open_space_share_pct": share(s["open"], s["built_up"]).to_numpy(),
                "built_up_source": method,
            }
        )

    return assemble(ward_and_city_rows(units, sums, finish), units.crs)


def open_space_share_recipe(
    inputs: Inputs, params: dict[str, Any], *, open_codes: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """SDG 11.7.1 (a): share of the built-up area that is open public space, streets included."""
    units = inputs["admin_units"]
    layers, method = open_space_layers(inputs, params, open_codes=open_codes)
    return open_space_share_rows(units, areas_by_unit(units, layers, OPEN_SPACE_OVERLAYS), method)


def green_area_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """ISO 37120 19.1 green area (ha) per 100,000 people, and public green m² per person."""
    units = inputs["admin_units"]
    green = inputs["green_spaces"]
    require_metric(green.crs, what="layer environment.green_spaces")
    excluded = {t.strip() for t in str(params["exclude_types"] or "").split(",") if t.strip()}
    green = green[~green["type"].isin(excluded)]
    public = green[green["public"].fillna(False).astype(bool)]
    origins = population_origins(inputs)
    sums = point_sums_by_unit(origins.points, units, ["population"])
    sums["green"] = area_in_units(shapely.union_all(green.geometry.to_numpy()), units)
    sums["public_green"] = area_in_units(shapely.union_all(public.geometry.to_numpy()), units)

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        pop = s["population"].astype(float).where(s["population"] > 0)
        return pd.DataFrame(
            {
                "population": s["population"].to_numpy(),
                "green_ha": (s["green"] / 1e4).to_numpy(),
                "green_ha_per_100k": (s["green"] / 1e4 / pop * 1e5).to_numpy(),
                "public_green_m2": s["public_green"].to_numpy(),
                "public_green_m2_per_person": (s["public_green"] / pop).to_numpy(),
                "population_source": origins.method,
            }
        )

    return assemble(ward_and_city_rows(units, sums, finish), units.crs)
