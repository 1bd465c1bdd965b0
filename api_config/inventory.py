"""What is in the database: layers with counts and last load, indicator values."""

from __future__ import annotations

from typing import Any

from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.registry import IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def layer_inventory(engine: Engine) -> list[dict[str, Any]]:
    """Every catalog layer with its feature count and latest load (None when never loaded)."""
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("api_config", "layer_inventory"))
        loads = {r[0]: r for r in cur.fetchall()}
        rows = []
        for spec in LAYERS.values():
            cur.execute("SELECT to_regclass(%(t)s)", {"t": spec.qualified_name})
            exists = cur.fetchone()[0] is not None
            count = None
            if exists:
                cur.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(spec.schema, spec.table))
                )
                count = int(cur.fetchone()[0])
            last = loads.get(spec.qualified_name)
            rows.append(
                {
                    "layer": spec.qualified_name,
                    "features": count,
                    "last_loaded": last[1].isoformat(timespec="seconds") if last else None,
                    "source": last[2] if last else None,
                    "version": last[3] if last else None,
                    "synthetic": last[4] if last else None,
                }
            )
    return rows


def indicator_values(
    engine: Engine,
    spec: IndicatorSpec,
    *,
    level: str | None = None,
    vintage: int | None = None,
    area: str = "mytho",
) -> list[dict[str, Any]]:
    """Current values (rounded to the indicator's precision) in study area ``area`` of one level
    and boundary vintage, or all."""
    query = sql.SQL(load_sql("api_config", "indicator_values")).format(
        table=sql.Identifier(ANALYSIS_SCHEMA, spec.table), value=sql.Identifier(spec.value_column)
    )
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(query, {"level": level, "vintage": vintage, "area": area})
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        row["value"] = spec.rounded(spec.value_column, row["value"])
    return rows
