"""Export an indicator's results to a file: GeoPackage, GeoParquet, CSV (geometry as WKT),
GeoJSON, FlatGeobuf or zipped Shapefile — the writers of :mod:`layers.export`, the format taken
from the file's suffix.

Values are rounded to the precision the indicator publishes them with (as in the level views and
the API).  Any level and vintage the results table holds can be exported alone (``level``, ``vintage``);
without them every row is written.  Whatever the levels are (city, ward, grid, block…), they are
read from the table itself, not from a list kept here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.errors import IndicatorError
from analysis.spec import IndicatorSpec
from analysis.tables import SCHEMA
from gis.sqlfiles import load_sql
from layers.export import ExportReport, target, write_frame


def _composed(conn: Any, name: str, spec: IndicatorSpec) -> str:
    query = sql.SQL(load_sql("analysis", name)).format(table=sql.Identifier(SCHEMA, spec.table))
    return str(query.as_string(conn.connection.driver_connection))


def available(engine: Engine, spec: IndicatorSpec) -> list[tuple[str, int | None, int]]:
    """``(level, vintage, rows)`` of each level and vintage in the indicator's results table."""
    with engine.connect() as conn:
        exists = conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f"{SCHEMA}.{spec.table}"}).scalar()
        if exists is None:
            return []
        rows = conn.execute(sa.text(_composed(conn, "indicator_levels", spec))).all()
    return [(str(r[0]), None if r[1] is None else int(r[1]), int(r[2])) for r in rows]


def read_results(
    engine: Engine, spec: IndicatorSpec, *, level: str | None = None, vintage: int | None = None
) -> gpd.GeoDataFrame:
    """The indicator's result rows (of one level and vintage when given) in EPSG:4326, real values
    rounded to their published precision (:meth:`IndicatorSpec.digits`)."""
    present = available(engine, spec)
    if not present:
        raise IndicatorError(
            f"{spec.id} has no results yet.", hint=f"Compute them: dothi indicators run --only {spec.id}"
        )
    if not any(
        (level is None or lv == level) and (vintage is None or vt == vintage) for lv, vt, _ in present
    ):
        have = ", ".join(
            f"{lv}" + (f" {vt}" if vt is not None else "") + f" ({n} rows)" for lv, vt, n in present
        )
        asked = " ".join(str(v) for v in (level, vintage) if v is not None)
        raise IndicatorError(
            f"{spec.id} has no results at {asked}. / Không có kết quả cho {asked}.",
            hint=f"It holds: {have}. Use --level and --vintage from these.",
        )
    with engine.connect() as conn:
        text = _composed(conn, "indicator_rows", spec)
        frame = gpd.read_postgis(
            sa.text(text), conn, geom_col="geom", params={"level": level, "vintage": vintage}
        )
    return rounded(frame, spec)


def rounded(frame: gpd.GeoDataFrame, spec: IndicatorSpec) -> gpd.GeoDataFrame:
    """Real result columns (``real`` in the registry, and the value column) as floats rounded to
    the precision the indicator publishes them with."""
    reals = {spec.value_column, *(c.name for c in spec.result_columns if c.type == "real")}
    for column in sorted(reals & set(frame.columns)):
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        frame[column] = values.round(spec.digits(column))
    return frame


def export_indicator(
    engine: Engine,
    spec: IndicatorSpec,
    path: str | Path,
    *,
    fmt: str | None = None,
    level: str | None = None,
    vintage: int | None = None,
    area: str | None = None,
) -> ExportReport:
    """Write an indicator's results (of study area ``area`` when given) to ``path`` (format from
    its suffix unless ``fmt``)."""
    out, chosen = target(path, fmt)
    frame = read_results(engine, spec, level=level, vintage=vintage)
    if area is not None:
        frame = frame[frame["area"] == area]
    name = "_".join(str(p) for p in (spec.id, level, vintage) if p is not None)
    notes = write_frame(frame, out, chosen, name=name)
    notes.insert(0, f"unit of {spec.value_column}: {spec.unit}")
    return ExportReport(f"{SCHEMA}.{spec.table}", str(out), chosen, len(frame), notes)
