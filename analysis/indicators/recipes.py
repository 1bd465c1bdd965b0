"""Indicator recipes: combine the pure family functions into one indicator's result rows.

A recipe takes the input layers as GeoDataFrames (in a metric CRS chosen by the runner) and the
parameters, and returns a GeoDataFrame of result rows: ``level``, ``unit_id``, ``vintage``,
``name_vi``, ``name_en``, the indicator's result columns and the geometry.  Still pure: no database.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from analysis.indicators.density import areal_interpolation, city_density, population_density
from analysis.indicators.reporting import city_names


def _census_vintage(units: gpd.GeoDataFrame, requested: int | None) -> int:
    with_pop = units[units["population"].notna()]
    if with_pop.empty:
        raise ValueError("admin_units: no unit has a population; load a census first")
    vintages = sorted(int(v) for v in with_pop["vintage"].unique())
    if requested is None:
        return vintages[-1]
    if requested not in vintages:
        raise ValueError(
            f"census_vintage={requested}: no admin units of that vintage carry a population "
            f"(vintages with population: {vintages})"
        )
    return requested


def population_density_recipe(
    inputs: dict[str, gpd.GeoDataFrame], params: dict[str, Any]
) -> gpd.GeoDataFrame:
    """Population density per admin unit (every vintage) and for the whole city.

    Units of the census vintage use their census population.  Units of other vintages (e.g. the
    2025 wards, which have no census) get the census population by areal interpolation.
    """
    units = inputs["admin_units"].copy()
    census_vintage = _census_vintage(units, params.get("census_vintage"))
    census = units[units["vintage"] == census_vintage]
    method = pd.Series("census", index=units.index, dtype=object)
    for vintage in sorted(units["vintage"].unique()):
        if vintage == census_vintage:
            continue
        sel = units["vintage"] == vintage
        estimate = areal_interpolation(census, units[sel], column="population")
        units.loc[sel, "population"] = estimate.round()
        method[sel] = f"areal interpolation of the {census_vintage} census"
    per_unit = population_density(units, population="population")
    rows = gpd.GeoDataFrame(
        {
            "level": "ward",
            "unit_id": units["unit_id"],
            "vintage": units["vintage"].astype(int),
            "name_vi": units["name_vi"],
            "name_en": units["name_en"],
            "population": per_unit["population"],
            "population_method": method,
            "area_km2": per_unit["area_km2"],
            "density_per_km2": per_unit["density_per_km2"],
        },
        geometry=units.geometry,
        crs=units.crs,
    )
    city_rows = []
    for vintage, group in units.groupby("vintage"):
        city = city_density(group)
        city_rows.append(
            {
                "level": "city",
                "unit_id": f"{int(vintage)}-city",
                "vintage": int(vintage),
                "name_vi": city_names(int(vintage))[0],
                "name_en": city_names(int(vintage))[1],
                "population": city["population"],
                "population_method": method[group.index[0]],
                "area_km2": city["area_km2"],
                "density_per_km2": city["density_per_km2"],
                "geometry": group.geometry.union_all(),
            }
        )
    cities = gpd.GeoDataFrame(city_rows, geometry="geometry", crs=units.crs)
    return gpd.GeoDataFrame(pd.concat([rows, cities], ignore_index=True), crs=units.crs)
