"""Which indicators may be split into tiles inside one study area, with what overlap, and how the
city rows are put back together from the tiles' ward rows.

A tile computes the indicator's recipe on every feature within its extent (its core strip, the
whole units whose representative point lies in it, plus the overlap) and keeps only the rows of its
core: the ward units and grid cells it owns.  The overlap is what makes a core row identical to the
serial run's: every input that can change it lies within that distance (a walk of at most ``d``
metres never leaves the disc of radius ``d``; the margin covers snapping to the nearest street).

City rows are never averages of tile values: they are recomputed from the *sums* the ward rows carry
(population, population within reach, area), as :mod:`analysis.indicators.reporting` does serially.

An indicator without a rule here is computed whole, one partition per study area: 2SFCA (a
facility's ratio depends on everybody within its catchment: 2 × catchment), walkability (z-scores
over the whole city), flood exposure, land consumption (whole-city rates), building form (blocks),
street network (consolidation), education access (seats per child from rounded shares), green area,
open space share, land-use mix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.indicators.reporting import city_names

#: Added to an indicator's walking distance: a point or a destination reaches the network through
#: its nearest street, which may lie outside the walking disc.
SNAP_MARGIN_M = 1000.0

CityRows = Callable[[gpd.GeoDataFrame], dict[str, Any]]


@dataclass(frozen=True)
class TileRule:
    """How one indicator is tiled: its overlap (m) for the given parameters, and its city row."""

    overlap_m: Callable[[dict[str, Any]], float]
    city: CityRows
    """Values of the city row of one vintage, from that vintage's ward rows of every tile."""


def _density_city(wards: gpd.GeoDataFrame) -> dict[str, Any]:
    pop = float(pd.to_numeric(wards["population"]).sum(min_count=1))
    area = float(pd.to_numeric(wards["area_km2"]).sum())
    return {
        "population": pop,
        "population_method": wards["population_method"].iloc[0],
        "area_km2": area,
        "density_per_km2": pop / area if area > 0 else np.nan,
    }


def _share_city(wards: gpd.GeoDataFrame) -> dict[str, Any]:
    pop = float(pd.to_numeric(wards["population"]).fillna(0.0).sum())
    within = float(pd.to_numeric(wards["population_within"]).fillna(0.0).sum())
    return {
        "population": pop,
        "population_within": within,
        "share_pct": 100.0 * within / pop if pop > 0 else np.nan,
        "population_source": wards["population_source"].iloc[0],
    }


def _walk(*names: str) -> Callable[[dict[str, Any]], float]:
    return lambda params: max(float(params[n]) for n in names) + SNAP_MARGIN_M


#: Tiled indicators, by id.
TILE_RULES: dict[str, TileRule] = {
    # areal interpolation of the census onto other vintages: whole units meeting the tile suffice
    "population_density": TileRule(lambda _params: 0.0, _density_city),
    "transit_access": TileRule(_walk("low_capacity_m", "high_capacity_m"), _share_city),
    "health_access": TileRule(_walk("distance_m"), _share_city),
    "open_space_access": TileRule(_walk("distance_m"), _share_city),
}


def city_rows(rule: TileRule, wards: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One city row per vintage from the ward rows of every tile (analysis CRS)."""
    rows = []
    for vintage, group in wards.groupby("vintage"):
        name_vi, name_en = city_names(int(vintage))
        rows.append(
            {
                "level": "city",
                "unit_id": f"{int(vintage)}-city",
                "vintage": int(vintage),
                "name_vi": name_vi,
                "name_en": name_en,
                **rule.city(group),
                "geometry": group.geometry.union_all(),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=wards.crs)
