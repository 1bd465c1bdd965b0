"""Land-use mix: the normalised Shannon entropy of land-use category areas.

``E = −Σ_k p_k ln p_k / ln K`` over the ``K`` categories considered, ``p_k`` the share of category
``k`` in the unit's area of those categories: 0 when a unit holds one category only, 1 when all
``K`` are equally present (Frank et al. 2004; the Global Healthy and Sustainable City Indicators use
the same form).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.grid import DEFAULT_CELL_M, cell_ids, covering_cells
from analysis.indicators.overlay import pair_areas
from analysis.indicators.reporting import assemble, result_rows, ward_and_city_rows
from gis.crs import require_metric

Inputs = Mapping[str, Any]


def area_by_category(polygons: gpd.GeoDataFrame, category: str, zones: np.ndarray) -> pd.DataFrame:
    """``(zone, category)`` table of the area (m²) of ``polygons`` inside each zone geometry."""
    tree = shapely.STRtree(polygons.geometry.to_numpy())
    zone_idx, poly_idx = tree.query(zones, predicate="intersects")
    areas = pair_areas(zones[zone_idx], polygons.geometry.to_numpy()[poly_idx])
    table = pd.DataFrame({"zone": zone_idx, "cat": polygons[category].to_numpy()[poly_idx], "area": areas})
    return table.pivot_table(index="zone", columns="cat", values="area", aggfunc="sum", fill_value=0.0)


def mix_entropy(areas: pd.DataFrame, categories: Sequence[str]) -> pd.Series:
    """Normalised entropy per row of a (unit × category) area table.

    Examples
    --------
    >>> t = pd.DataFrame({"residential": [50.0, 100.0], "commercial": [50.0, 0.0]})
    >>> mix_entropy(t, ["residential", "commercial"]).round(6).tolist()
    [1.0, 0.0]
    """
    table = areas.reindex(columns=list(categories), fill_value=0.0).astype(float)
    total = table.sum(axis=1)
    p = table.div(total.where(total > 0), axis=0)
    terms = -(p * np.log(p.where(p > 0))).fillna(0.0)
    entropy = terms.sum(axis=1) / np.log(len(categories))
    return entropy.where(total > 0)


def land_use_status(land: pd.DataFrame, requested: str) -> str:
    """The land use to measure: ``current`` or ``planned`` as asked, or for ``auto`` the current
    zones when the layer has any, else the planned ones (the result's ``land_use_status`` says which).

    Examples
    --------
    >>> land_use_status(pd.DataFrame({"status": ["planned"]}), "auto")
    'planned'
    """
    if requested not in ("auto", "current", "planned"):
        raise ValueError(f"land_use_mix.status={requested!r}: use auto, current or planned")
    present = set(land["status"].dropna())
    if requested == "auto":
        if not present:
            raise ValueError("layer land.land_use has no zone with a status")
        return "current" if "current" in present else "planned"
    if requested not in present:
        other = "planned" if requested == "current" else "current"
        raise ValueError(
            f"layer land.land_use has no zone with status = {requested!r}; "
            f"for the {other} land use run with --param land_use_mix.status={other} (or auto)"
        )
    return requested


def land_use_mix_recipe(
    inputs: Inputs, params: dict[str, Any], *, groups: Mapping[str, str] | None = None
) -> gpd.GeoDataFrame:
    """Entropy of current (or planned) land-use groups per ward, city and 100 m grid cell.

    ``status`` ``auto`` (the default) measures the current land use when the layer has any
    current zone, else the planned one.

    ``groups`` maps land-use codes to groups (bound by the registry from the land-use code list).
    """
    units = inputs["admin_units"]
    land, status, cats = mix_zones(inputs, params, groups=groups)
    per_unit = area_by_category(land, "group", units.geometry.to_numpy())
    per_unit.index = units.index[per_unit.index]
    cells = mix_cells(units)
    per_cell = area_by_category(land, "group", cells)
    return land_use_mix_rows(units, per_unit, cells, per_cell, status, cats)


def mix_zones(
    inputs: Inputs, params: dict[str, Any], *, groups: Mapping[str, str] | None = None
) -> tuple[gpd.GeoDataFrame, str, list[str]]:
    """The land-use zones measured (of the chosen status, with their ``group``), the status, and
    the categories."""
    land = inputs["land_use"]
    require_metric(land.crs, what="layer land.land_use")
    status = land_use_status(land, str(params.get("status", "auto")))
    land = land[land["status"] == status]
    land = land.assign(group=land["code"].map(groups or {}).fillna(land["code"]))
    cats = [c.strip() for c in str(params["categories"]).split(",") if c.strip()]
    if len(cats) < 2:
        raise ValueError(f"land_use_mix.categories={params['categories']!r}: give at least two categories")
    return land, status, cats


def mix_cells(units: gpd.GeoDataFrame) -> np.ndarray:
    """The grid cells covering the latest units."""
    latest = units[units["vintage"] == units["vintage"].max()]
    return covering_cells(latest.geometry.union_all(), size=DEFAULT_CELL_M)


def land_use_mix_rows(  # noqa: PLR0917 - the units and cells with their area tables
    units: gpd.GeoDataFrame,
    per_unit: pd.DataFrame,
    cells: np.ndarray,
    per_cell: pd.DataFrame,
    status: str,
    cats: list[str],
) -> gpd.GeoDataFrame:
    """Rows from the (unit × category) and (cell position × category) area tables."""

    def finish(areas: pd.DataFrame) -> pd.DataFrame:
        table = areas.reindex(columns=cats, fill_value=0.0)
        total = table.sum(axis=1)
        return pd.DataFrame(
            {
                "categories_km2": (total / 1e6).to_numpy(),
                "categories_present": (table > 0).sum(axis=1).to_numpy(),
                "entropy": mix_entropy(table, cats).to_numpy(),
                "land_use_status": status,
            }
        )

    parts = ward_and_city_rows(units, per_unit.reindex(units.index, fill_value=0.0), finish)
    ids = cell_ids(gpd.GeoSeries(shapely.centroid(cells[per_cell.index]), crs=units.crs))
    parts.append(
        result_rows("grid", ids.tolist(), None, (None, None), finish(per_cell), cells[per_cell.index])
    )
    return assemble(parts, units.crs)
