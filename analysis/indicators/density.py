"""Population density and areal interpolation of counts."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.overlay import pair_areas
from gis.crs import require_metric


def population_density(units: gpd.GeoDataFrame, *, population: str = "population") -> pd.DataFrame:
    """Residents per km² of each unit, with the area computed in the units' metric CRS.

    Parameters
    ----------
    units:
        Polygons in a projected metric CRS (e.g. EPSG:32648) with a population column.
    population:
        Name of the population column.

    Returns
    -------
    DataFrame aligned to ``units.index`` with ``population``, ``area_km2`` and
    ``density_per_km2`` (NaN where the population is unknown).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> units = gpd.GeoDataFrame({"population": [2000]}, geometry=[box(0, 0, 1000, 2000)],
    ...                          crs="EPSG:32648")
    >>> population_density(units)["density_per_km2"].tolist()
    [1000.0]
    """
    require_metric(units.crs, what="population_density(units)")
    if population not in units.columns:
        raise KeyError(f"population_density: units have no column {population!r}")
    area_km2 = units.geometry.area / 1_000_000.0
    pop = pd.to_numeric(units[population], errors="coerce").astype(float)
    density = pop / area_km2.where(area_km2 > 0)
    return pd.DataFrame(
        {"population": pop, "area_km2": area_km2, "density_per_km2": density}, index=units.index
    )


def city_density(units: gpd.GeoDataFrame, *, population: str = "population") -> pd.Series:
    """Density of the whole study area: total population over total area (not a mean of ratios).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> units = gpd.GeoDataFrame({"population": [1000, 3000]},
    ...     geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs="EPSG:32648")
    >>> float(city_density(units)["density_per_km2"])
    2000.0
    """
    per_unit = population_density(units, population=population)
    total_pop = float(per_unit["population"].sum(min_count=1))
    total_area = float(per_unit["area_km2"].sum())
    return pd.Series(
        {
            "population": total_pop,
            "area_km2": total_area,
            "density_per_km2": total_pop / total_area if total_area > 0 else np.nan,
        }
    )


def areal_interpolation(source: gpd.GeoDataFrame, target: gpd.GeoDataFrame, *, column: str) -> pd.Series:
    """Allocate a count from source polygons to target polygons in proportion to overlap area.

    Assumes the count is spread evenly over each source polygon (the simplest areal-weighting
    method).  Both frames must share a metric CRS.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> src = gpd.GeoDataFrame({"pop": [100]}, geometry=[box(0, 0, 2, 1)], crs="EPSG:32648")
    >>> tgt = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 3, 1)], crs="EPSG:32648")
    >>> areal_interpolation(src, tgt, column="pop").tolist()
    [50.0, 50.0]
    """
    require_metric(source.crs, what="areal_interpolation(source)")
    require_metric(target.crs, what="areal_interpolation(target)")
    if source.crs != target.crs:
        raise ValueError("areal_interpolation: source and target must share a CRS")
    values = pd.to_numeric(source[column], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    src = source.geometry.to_numpy()
    tgt = target.geometry.to_numpy()
    # candidate pairs from the index; containment spares most intersections (see pair_areas)
    t_idx, s_idx = shapely.STRtree(src).query(tgt, predicate="intersects")
    overlap = pair_areas(src[s_idx], tgt[t_idx])
    src_area = shapely.area(src)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(src_area[s_idx] > 0, overlap / src_area[s_idx], 0.0)
    allocated = pd.Series(values[s_idx] * share).groupby(t_idx).sum()
    return pd.Series(
        allocated.reindex(np.arange(len(target)), fill_value=0.0).to_numpy(), index=target.index, dtype=float
    )
