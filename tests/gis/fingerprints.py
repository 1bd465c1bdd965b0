"""Row counts and md5 checksums of every table, computed independently of ``gis.backup``."""

from __future__ import annotations

from psycopg2 import sql
from sqlalchemy.engine import URL

from gis.engine import create_engine

#: Every ordinary table outside the system schemas (not PostGIS's own spatial_ref_sys).
TABLES_SQL = """
SELECT table_schema, table_name FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
  AND table_name <> 'spatial_ref_sys' ORDER BY 1, 2
"""
COLUMNS_SQL = """
SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns
WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_schema, table_name, ordinal_position
"""
ROWS_MD5 = sql.SQL(
    "SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text COLLATE \"C\"), '')) "
    "FROM (SELECT {columns} FROM {table}) AS r"
)

Fingerprints = dict[str, tuple[int, str]]


def table_columns(url: URL) -> dict[str, list[str]]:
    """``schema.table → [column, …]`` in column order."""
    out: dict[str, list[str]] = {}
    for table, column in _query(url, COLUMNS_SQL):
        out.setdefault(table, []).append(column)
    return out


def table_fingerprints(url: URL, columns: dict[str, list[str]] | None = None) -> Fingerprints:
    """Row count and md5 of the sorted rows of every table (of only ``columns`` when given)."""
    columns = columns if columns is not None else table_columns(url)
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.execute("SET TimeZone = 'UTC'")
            cur.execute(TABLES_SQL)
            out: Fingerprints = {}
            for schema, table in cur.fetchall():
                name = f"{schema}.{table}"
                if name not in columns:
                    continue
                cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns[name])
                cur.execute(ROWS_MD5.format(columns=cols, table=sql.Identifier(schema, table)))
                count, digest = cur.fetchone()
                out[name] = (count, digest)
            return out
    finally:
        raw.close()
        engine.dispose()


def _query(url: URL, query: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.execute(query)
            return list(cur.fetchall())
    finally:
        raw.close()
        engine.dispose()
