"""Bulk writes with PostgreSQL ``COPY`` (never row-by-row inserts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from psycopg2 import sql

from gis.crs import STORAGE_SRID

_ROWS_PER_CHUNK = 50_000


def _csv_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def copy_frame(cursor: Any, table: sql.Composable, frame: gpd.GeoDataFrame, columns: Sequence[str]) -> int:
    """COPY ``columns`` of ``frame`` (and its geometry, as EWKB in the storage SRID) into ``table``.

    ``frame`` must already be in the storage CRS; ``columns`` names the attribute columns, the
    geometry goes to the ``geom`` column.  Returns the number of rows written.
    """
    if frame.crs is not None and frame.crs.to_epsg() != STORAGE_SRID:
        raise ValueError(f"copy_frame: frame is in {frame.crs}, not EPSG:{STORAGE_SRID}")
    names = [c for c in columns if c != "geom"]
    copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        table, sql.SQL(", ").join(sql.Identifier(c) for c in [*names, "geom"])
    )
    geoms = frame.geometry.to_numpy()
    total = len(frame)
    for start in range(0, max(total, 1), _ROWS_PER_CHUNK):
        chunk = frame.iloc[start : start + _ROWS_PER_CHUNK]
        ewkb = shapely.to_wkb(
            shapely.set_srid(geoms[start : start + _ROWS_PER_CHUNK], STORAGE_SRID),
            hex=True,
            include_srid=True,
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        for row, geom in zip(chunk[names].itertuples(index=False, name=None), ewkb, strict=True):
            writer.writerow([*(_csv_value(v) for v in row), geom])
        buffer.seek(0)
        cursor.copy_expert(copy, buffer)
    return total
