"""Incremental area tables: re-measure only the zones (wards, grid cells) an edited polygon meets.

Pure: numpy, shapely, pandas; no database.

A (zone × category) area table (:func:`~analysis.indicators.landuse.area_by_category`) holds, per
zone, the areas of the polygons meeting that zone only.  After edits (polygons removed, added,
changed) the zones met by an old or a new polygon are measured again with the edited layer and
their rows replaced; every other zone keeps its baseline row.  Used by ``land_use_mix`` for
land-use edits: the affected wards and 100 m cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.landuse import area_by_category


@dataclass
class ZoneTable:
    """Zones (an array of polygons), their area table (index: zone position) and a tree."""

    zones: np.ndarray
    table: pd.DataFrame
    tree: shapely.STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = shapely.STRtree(self.zones)


def zone_table(polygons: gpd.GeoDataFrame, category: str, zones: np.ndarray) -> ZoneTable:
    return ZoneTable(zones, area_by_category(polygons, category, zones))


def affected_zones(state: ZoneTable, changed: np.ndarray) -> np.ndarray:
    """Positions of the zones that an old or new polygon meets."""
    changed = np.asarray(changed, dtype=object)
    changed = changed[~shapely.is_missing(changed)]
    if not len(changed):
        return np.zeros(0, dtype=int)
    return np.unique(state.tree.query(changed, predicate="intersects")[1])


def update_table(
    state: ZoneTable, polygons: gpd.GeoDataFrame, category: str, changed: np.ndarray
) -> tuple[pd.DataFrame, int]:
    """The area table after the edits (``polygons``: the edited layer; ``changed``: the old and
    new polygons of the edited features) and how many zones were measured again."""
    affected = affected_zones(state, changed)
    if not len(affected):
        return state.table, 0
    if len(polygons):
        sub = area_by_category(polygons, category, state.zones[affected])
        sub.index = affected[sub.index]
    else:
        sub = state.table.iloc[:0]
    kept = state.table[~state.table.index.isin(affected)]
    table = pd.concat([kept, sub]).fillna(0.0).sort_index()
    table.columns.name = state.table.columns.name
    return table, len(affected)
