"""Result rows at the three reporting levels: ward (every boundary vintage), city and grid cell.

Values are computed from *sums* (population, population served, areas…) so that a city or a cell is
never a mean of ward ratios: ``finish`` turns a frame of sums into the indicator's columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.grid import DEFAULT_CELL_M, cell_ids, cell_polygons

Finish = Callable[[pd.DataFrame], pd.DataFrame]
LEVELS_ALL = ("city", "ward", "grid", "block")


def unit_of_points(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> pd.Series:
    """Index of the unit containing each point (NaN outside every unit).

    A point on a shared boundary (or in overlapping units, as the 2019 wards overlap) goes to the
    first unit in ``units``' order only, so sums over units never count it twice and a point is
    counted in the same unit whichever other points it is located with (a spatial join would pick
    one of the units in its search tree's order).
    """
    tree = shapely.STRtree(units.geometry.to_numpy())
    pts, hit = tree.query(points.geometry.to_numpy(), predicate="intersects")
    first = np.full(len(points), len(units), dtype=np.int64)
    np.minimum.at(first, pts, hit)
    found = first < len(units)
    out = np.full(len(points), np.nan, dtype=object)
    out[found] = units.index.to_numpy()[first[found]]
    return pd.Series(out, index=points.index)


def result_rows(  # noqa: PLR0917 - the six parts of a result row, in table order
    level: str,
    ids: Sequence[str],
    vintage: Any,
    names: tuple[Any, Any],
    values: pd.DataFrame,
    geom: Any,
) -> pd.DataFrame:
    frame = values.reset_index(drop=True).copy()
    frame.insert(0, "level", level)
    frame.insert(1, "unit_id", list(ids))
    frame.insert(2, "vintage", vintage)
    frame.insert(3, "name_vi", names[0])
    frame.insert(4, "name_en", names[1])
    frame["geometry"] = geom
    return frame


def ward_and_city_rows(units: gpd.GeoDataFrame, sums: pd.DataFrame, finish: Finish) -> list[pd.DataFrame]:
    """Ward rows (one per unit, ``sums`` indexed like ``units``) and one city row per vintage."""
    out = []
    for vintage, group in units.groupby("vintage"):
        per_unit = sums.reindex(group.index).fillna(0.0)
        out.append(
            result_rows(
                "ward",
                group["unit_id"].tolist(),
                int(vintage),
                (group["name_vi"].to_numpy(), group["name_en"].to_numpy()),
                finish(per_unit),
                group.geometry.to_numpy(),
            )
        )
        city = per_unit.sum().to_frame().T
        out.append(
            result_rows(
                "city",
                [f"{int(vintage)}-city"],
                int(vintage),
                city_names(int(vintage)),
                finish(city),
                [group.geometry.union_all()],
            )
        )
    return out


def city_names(vintage: int, area: tuple[str, str] | None = None) -> tuple[str, str]:
    """The total row's names (level ``city``), saying which boundary vintage it sums (one row per
    vintage).  ``area``: the study area's (Vietnamese, English) names, for any area other than the
    default city of Mỹ Tho, whose total stays "the whole city".

    >>> city_names(2025)
    ('Toàn thành phố (ranh giới 2025)', 'Whole city (2025 boundaries)')
    >>> city_names(2019, ("Tỉnh Tiền Giang (cũ)", "Former Tiền Giang province"))[1]
    'Whole area: Former Tiền Giang province (2019 boundaries)'
    """
    if area is None:
        return f"Toàn thành phố (ranh giới {vintage})", f"Whole city ({vintage} boundaries)"
    return f"Toàn vùng {area[0]} (ranh giới {vintage})", f"Whole area: {area[1]} ({vintage} boundaries)"


def name_city_rows(rows: pd.DataFrame, area: tuple[str, str] | None) -> pd.DataFrame:
    """``rows`` with their total rows (level ``city``) named after the study area ``area``
    (:func:`city_names`); unchanged for the default city (``area`` None)."""
    city = (rows["level"] == "city").to_numpy()
    if area is None or not city.any():
        return rows
    names = [city_names(int(v), area) for v in rows.loc[city, "vintage"]]
    rows = rows.copy()
    rows.loc[city, "name_vi"] = [n[0] for n in names]
    rows.loc[city, "name_en"] = [n[1] for n in names]
    return rows


def point_sums_by_unit(
    points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, columns: Sequence[str]
) -> pd.DataFrame:
    """Sums of point columns per unit, for every vintage (units of different vintages overlap)."""
    parts = []
    for _, group in units.groupby("vintage"):
        where = unit_of_points(points, group)
        parts.append(points[list(columns)].groupby(where).sum().reindex(group.index, fill_value=0.0))
    return pd.concat(parts)


def grid_rows(
    points: gpd.GeoDataFrame, columns: Sequence[str], finish: Finish, *, size: int = DEFAULT_CELL_M
) -> pd.DataFrame:
    """One row per grid cell holding at least one point."""
    ids = cell_ids(points.geometry, size=size)
    sums = points[list(columns)].groupby(ids).sum()
    return result_rows(
        "grid", sums.index.tolist(), None, (None, None), finish(sums), cell_polygons(sums.index, size=size)
    )


def assemble(parts: list[pd.DataFrame], crs: object, levels: Sequence[str] = LEVELS_ALL) -> gpd.GeoDataFrame:
    """Concatenate row frames of the requested levels into one GeoDataFrame."""
    frame = pd.concat([p for p in parts if len(p) and p["level"].iloc[0] in levels], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=crs)


def in_study_area(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Points inside the latest-vintage units (the grid covers the current study area only)."""
    latest = units[units["vintage"] == units["vintage"].max()]
    return points[unit_of_points(points, latest).notna().to_numpy()]


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Percentage, NaN where the denominator is 0."""
    den = denominator.astype(float)
    return 100.0 * numerator.astype(float) / den.where(den > 0, np.nan)
