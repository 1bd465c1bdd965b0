"""Where people live: population as points (origins of the accessibility indicators).

Sources, best first (the method is reported with every result):

1. the ``population_grid`` raster — one point per populated cell centre;
2. ``buildings`` with ``residents`` — one point per residential building centroid;
3. the census population of the ``admin_units`` — spread evenly over the 100 m grid cells of each
   unit (areal weighting), so that any city with only boundaries and a census still runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.indicators.density import areal_interpolation
from analysis.indicators.grid import DEFAULT_CELL_M, covering_cells
from analysis.indicators.rasters import Raster, cell_centres
from gis.crs import require_metric


@dataclass(frozen=True)
class Origins:
    """Population points (column ``population``) in the analysis CRS and how they were made."""

    points: gpd.GeoDataFrame
    method: str

    @property
    def xy(self) -> np.ndarray:
        return self.points.get_coordinates().to_numpy()

    @property
    def population(self) -> np.ndarray:
        return self.points["population"].to_numpy(dtype=float)


def from_grid(grid: Raster, crs: Any) -> Origins:
    cells = cell_centres(grid).to_crs(crs)
    points = gpd.GeoDataFrame({"population": cells["value"]}, geometry=cells.geometry, crs=crs)
    year = f" {grid.year}" if grid.year else ""
    return Origins(points, f"population_grid{year} (cell centres)")


def from_buildings(buildings: gpd.GeoDataFrame) -> Origins | None:
    if "residents" not in buildings.columns:
        return None
    res = pd.to_numeric(buildings["residents"], errors="coerce").fillna(0.0)
    keep = res > 0
    if not keep.any():
        return None
    points = gpd.GeoDataFrame(
        {"population": res[keep].to_numpy()},
        geometry=buildings.geometry[keep].centroid.to_numpy(),
        crs=buildings.crs,
    )
    return Origins(points, "buildings.residents (centroids)")


def from_census(units: gpd.GeoDataFrame, *, cell_m: int = DEFAULT_CELL_M) -> Origins:
    """The latest census vintage spread evenly over grid cells (areal weighting)."""
    with_pop = units[pd.to_numeric(units["population"], errors="coerce").notna()]
    if with_pop.empty:
        raise ValueError(
            "no population source: land.admin_units has no population, and neither the "
            "population_grid raster nor buildings with residents are loaded"
        )
    vintage = int(with_pop["vintage"].max())
    census = with_pop[with_pop["vintage"] == vintage]
    cells = gpd.GeoDataFrame(geometry=covering_cells(census.geometry.union_all(), size=cell_m), crs=units.crs)
    pop = areal_interpolation(census, cells, column="population")
    keep = pop.to_numpy() > 0
    points = gpd.GeoDataFrame(
        {"population": pop.to_numpy()[keep]}, geometry=cells.geometry.centroid.to_numpy()[keep], crs=units.crs
    )
    return Origins(points, f"admin_units census {vintage} spread over {cell_m} m cells")


def population_origins(inputs: Mapping[str, Any]) -> Origins:
    """Population points from the best available source (see the module docstring)."""
    units = inputs["admin_units"]
    require_metric(units.crs, what="layer land.admin_units")
    grid = inputs.get("population_grid")
    if grid is not None:
        return from_grid(grid, units.crs)
    buildings = inputs.get("buildings")
    if buildings is not None:
        found = from_buildings(buildings)
        if found is not None:
            return found
    return from_census(units)
