"""Atomic, idempotent loads of validated features into a layer table.

A load validates everything first, then in **one transaction**: COPYs the rows into a temporary
staging table, replaces (or appends to, or upserts into) the target rows of its scope, and records a
provenance row.  Any failure — a validation error, a constraint violation, a killed process — rolls
the transaction back and leaves the previous data exactly as it was.  Loading the same source again,
when the table still holds what that source produced, is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import Connection, Engine

from gis.pgcopy import copy_frame
from gis.sqlfiles import dothi_version, load_sql
from layers.catalog import COMMON_COLUMNS, LayerSpec
from layers.errors import LayerError, LoadError
from layers.validate import validate

Mode = Literal["replace", "append", "upsert"]
MODES: tuple[Mode, ...] = ("replace", "append", "upsert")


def read_sql(name: str) -> str:
    """The text of ``layers/sql/<name>.sql``."""
    return load_sql("layers", name)


def file_checksum(paths: Iterable[Path]) -> str:
    """sha256 over the bytes of one or more source files (in the given order)."""
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class SourceInfo:
    """Where the features came from (recorded in the provenance table)."""

    path: str
    checksum: str
    crs: str | None = None
    licence: str = ""
    attribution: str = ""
    synthetic: bool = False


@dataclass
class LoadReport:
    """What a load did."""

    layer: str
    read: int
    written: int = 0
    repaired: int = 0
    rejected: int = 0
    unchanged: bool = False
    load_id: int | None = None
    layer_version: int | None = None
    repairs: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.unchanged:
            return (
                f"{self.layer}: unchanged — this source is already loaded "
                f"(load {self.load_id}); nothing written."
            )
        return (
            f"{self.layer}: read {self.read}, repaired {self.repaired}, rejected "
            f"{self.rejected}, written {self.written} (load {self.load_id}, version "
            f"{self.layer_version})."
        )


def _table_ident(spec: LayerSpec) -> sql.Composable:
    return sql.Identifier(spec.schema, spec.table)


def _scope_clause(scope: Mapping[str, Any] | None) -> tuple[sql.Composable, dict[str, Any]]:
    if not scope:
        return sql.SQL("TRUE"), {}
    parts = [sql.SQL("{} = %(scope_{})s").format(sql.Identifier(k), sql.SQL(k)) for k in scope]
    return sql.SQL(" AND ").join(parts), {f"scope_{k}": v for k, v in scope.items()}


def content_checksum(
    conn: Connection, spec: LayerSpec, *, scope: Mapping[str, Any] | None = None
) -> tuple[int, str]:
    """Row count and checksum of a layer's content (attributes + geometry, not load ids)."""
    names = [*spec.attribute_names, *(a.name for a in COMMON_COLUMNS if a.name != "load_id")]
    columns = sql.SQL(", ").join(sql.SQL("coalesce({}::text, '~')").format(sql.Identifier(c)) for c in names)
    where, params = _scope_clause(scope)
    query = sql.SQL(read_sql("content_checksum")).format(
        table=_table_ident(spec), columns=columns, id=sql.Identifier(spec.id_field), where=where
    )
    with conn.connection.driver_connection.cursor() as cur:  # type: ignore[union-attr]
        cur.execute(query, params)
        n, checksum = cur.fetchone()
    return int(n), str(checksum)


def _merge(cur: Any, spec: LayerSpec, mode: Mode, columns: list[str], scope: Mapping[str, Any] | None) -> int:
    target = _table_ident(spec)
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    if mode == "replace":
        where, params = _scope_clause(scope)
        cur.execute(sql.SQL("DELETE FROM {} WHERE {}").format(target, where), params)
    insert = sql.SQL("INSERT INTO {t} ({c}) SELECT {c} FROM _dothi_stage").format(t=target, c=cols)
    if mode == "upsert":
        updates = sql.SQL(", ").join(
            sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in columns if c != spec.id_field
        )
        insert += sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(sql.Identifier(spec.id_field), updates)
    cur.execute(insert)
    return int(cur.rowcount)


def load_frame(
    engine: Engine,
    spec: LayerSpec,
    gdf: gpd.GeoDataFrame,
    *,
    source: SourceInfo,
    mode: Mode = "replace",
    scope: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Validate ``gdf`` for ``spec`` and load it atomically.

    Parameters
    ----------
    engine:
        Engine on dothi's database (migrated).
    spec:
        The layer declaration.
    gdf:
        Features with the layer's attribute names and a CRS.
    source:
        Provenance of the features.
    mode:
        ``replace`` the rows of ``scope`` (all rows when no scope), ``append`` new rows, or
        ``upsert`` by the layer's id field.
    scope:
        Column values selecting the subset a ``replace`` load owns, e.g. ``{"vintage": 2019}``.
    progress:
        Called with a short message at each stage.
    """
    if mode not in MODES:
        raise LayerError(f"Unknown load mode {mode!r}.", hint=f"Use one of {', '.join(MODES)}.")
    say = progress or (lambda _msg: None)
    say(f"validating {len(gdf)} features for {spec.qualified_name}")
    frame, vreport = validate(spec, gdf, source=source.path)
    report = LoadReport(
        layer=spec.qualified_name,
        read=vreport.read,
        repaired=len(vreport.repaired),
        repairs=vreport.repaired,
        ignored_columns=vreport.ignored_columns,
    )
    try:
        _write(engine, spec, frame, report, source=source, mode=mode, scope=scope, say=say)
    except psycopg2.Error as exc:
        detail = (exc.diag.message_primary or str(exc)).strip()
        extra = f" ({exc.diag.message_detail})" if exc.diag.message_detail else ""
        raise LoadError(
            f"Writing {spec.qualified_name} from {source.path} failed: {detail}{extra}. "
            "The load was rolled back; the previous data is unchanged.",
            hint="Fix the source (or use --mode upsert for ids that already exist) and load again.",
        ) from exc
    return report


def _write(
    engine: Engine,
    spec: LayerSpec,
    frame: gpd.GeoDataFrame,
    report: LoadReport,
    *,
    source: SourceInfo,
    mode: Mode,
    scope: Mapping[str, Any] | None,
    say: Callable[[str], None],
) -> None:
    """The transaction of a load: provenance row, staging COPY, merge, checksum."""
    scope_text = json.dumps(dict(scope), sort_keys=True) if scope else None
    columns = [c for c in frame.columns if c != "load_id"]
    with engine.begin() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(read_sql("lock_layer"), {"layer": spec.qualified_name})
        cur.execute(read_sql("last_load"), {"layer": spec.qualified_name, "scope": scope_text})
        last = cur.fetchone()
        if last and mode != "append" and last[1] == source.checksum:
            _, current = content_checksum(conn, spec, scope=scope)
            if current == last[2]:
                report.unchanged, report.load_id = True, int(last[0])
                return
        cur.execute(
            read_sql("insert_provenance"),
            {
                "layer": spec.qualified_name,
                "source_path": source.path,
                "source_checksum": source.checksum,
                "source_crs": source.crs,
                "mode": mode,
                "scope": scope_text,
                "features_read": report.read,
                "features_repaired": report.repaired,
                "features_rejected": report.rejected,
                "licence": source.licence,
                "attribution": source.attribution,
                "synthetic": source.synthetic,
                "details": json.dumps(
                    {"repairs": report.repairs[:100], "ignored_columns": report.ignored_columns}
                ),
                "dothi_version": dothi_version(),
            },
        )
        report.load_id, report.layer_version = cur.fetchone()
        cur.execute(
            sql.SQL("CREATE TEMP TABLE _dothi_stage (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP").format(
                _table_ident(spec)
            )
        )
        say(f"copying {len(frame)} features into staging")
        frame["load_id"] = report.load_id
        copy_frame(cur, sql.Identifier("_dothi_stage"), frame, [*columns, "load_id"])
        say(f"writing {spec.qualified_name} ({mode})")
        report.written = _merge(cur, spec, mode, [*columns, "load_id"], scope)
        _, checksum = content_checksum(conn, spec, scope=scope)
        cur.execute(
            read_sql("finish_provenance"),
            {
                "written": report.written,
                "content_checksum": checksum,
                "load_id": report.load_id,
            },
        )
