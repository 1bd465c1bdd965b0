"""Atomic, idempotent loads of validated features into a layer table.

A load validates everything first (in memory, vectorised: the in-memory frame is the staging
area), then in **one transaction**: records a provenance row, deletes the rows of its scope
(``replace``) and COPYs the new rows in — or, for ``upsert``, COPYs into a temporary staging table
and merges with ``INSERT … ON CONFLICT``.  Any failure — a validation error, a constraint
violation, a killed process — rolls the transaction back and leaves the previous data exactly as
it was.  Loading the same source again, when the table still holds what that source produced, is a
no-op.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import psycopg2
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
from psycopg2 import sql
from sqlalchemy.engine import Connection, Engine

from gis.crs import STORAGE_SRID
from gis.sqlfiles import dothi_version, load_sql
from layers.areas import prefixed_ids, require_area
from layers.catalog import COMMON_COLUMNS, Attribute, LayerSpec
from layers.catalog.types import DEFAULT_AREA
from layers.errors import LayerError, LoadError
from layers.readers import read_source
from layers.validate import StudyArea, validate

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
    synthetic_removed: int = 0
    notes: list[str] = field(default_factory=list)

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
    """Row count and checksum of a layer's content (attributes + geometry, not load ids).

    ``scope`` selects the rows (e.g. ``{"area": "mytho"}``); the area itself is not hashed, so the
    checksums of before areas existed still hold."""
    names = [*spec.attribute_names, *(a.name for a in COMMON_COLUMNS if a.name not in {"load_id", "area"})]
    columns = sql.SQL(", ").join(sql.SQL("coalesce({}::text, '~')").format(sql.Identifier(c)) for c in names)
    where, params = _scope_clause(scope)
    query = sql.SQL(read_sql("content_checksum")).format(
        table=_table_ident(spec), columns=columns, where=where
    )
    with conn.connection.driver_connection.cursor() as cur:  # type: ignore[union-attr]
        cur.execute(query, params)
        n, checksum = cur.fetchone()
    return int(n), str(checksum)


_ARROW_TYPES = {
    "text": pa.string(),
    "integer": pa.int64(),
    "real": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
_COPY_CHUNK = 100_000
#: Loads of at least this many rows rebuild the indexes instead of updating them (bulk_indexes).
BULK_ROWS = 100_000


def _arrow_column(values: Any, attr: Attribute | None) -> pa.Array:
    kind = _ARROW_TYPES[attr.type] if attr is not None else pa.int64()
    return pa.array(np.asarray(values), type=kind, from_pandas=True)


def _hex_ewkb(geoms: np.ndarray) -> pa.Array:
    """Hex EWKB of each geometry as an Arrow string array, without Python code per row.

    GEOS's own hex writer is ~4x slower than binary WKB hexlified in one block.
    """
    wkb = shapely.to_wkb(geoms, hex=False, include_srid=True)
    lengths = np.fromiter(map(len, wkb), dtype=np.int64, count=len(wkb))
    offsets = np.zeros(len(wkb) + 1, dtype=np.int64)
    np.cumsum(lengths * 2, out=offsets[1:])
    data = binascii.hexlify(b"".join(wkb))
    return pa.LargeStringArray.from_buffers(len(wkb), pa.py_buffer(offsets), pa.py_buffer(data))


def copy_rows(
    cur: Any,
    table: sql.Composable,
    frame: gpd.GeoDataFrame,
    columns: list[str],
    *,
    attributes: tuple[Attribute, ...],
    progress: Callable[[str], None] | None = None,
) -> int:
    """COPY validated rows (and ``geom`` as hex EWKB) into ``table``, in chunks.

    The CSV is written by Arrow's C++ writer (strings quoted, NULLs as unquoted empty fields,
    which is PostgreSQL's CSV convention), so no Python code runs per row.
    """
    attrs = {a.name: a for a in (*COMMON_COLUMNS, *attributes)}
    copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        table, sql.SQL(", ").join(sql.Identifier(c) for c in [*columns, "geom"])
    )
    geoms = frame.geometry.to_numpy()
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")

    def chunk(start: int) -> bytes:
        stop = start + _COPY_CHUNK
        arrays = [_arrow_column(frame[c].iloc[start:stop], attrs.get(c)) for c in columns]
        arrays.append(_hex_ewkb(shapely.set_srid(geoms[start:stop], STORAGE_SRID)))
        buffer = pa.BufferOutputStream()
        pacsv.write_csv(pa.Table.from_arrays(arrays, names=[*columns, "geom"]), buffer, options)
        return bytes(buffer.getvalue().to_pybytes())

    # The next chunk is encoded in a thread while the server ingests the current one.
    starts = list(range(0, len(frame), _COPY_CHUNK))
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(chunk, starts[0]) if starts else None
        for i in range(len(starts)):
            data = pending.result() if pending else b""
            pending = pool.submit(chunk, starts[i + 1]) if i + 1 < len(starts) else None
            cur.copy_expert(copy, io.BytesIO(data), size=1 << 20)
            if progress is not None and len(starts) > 1:
                done = min(starts[i] + _COPY_CHUNK, len(frame))
                progress(f"copied {done:,}/{len(frame):,} features ({100 * done // len(frame)} %)")
    return len(frame)


@contextmanager
def bulk_indexes(cur: Any, spec: LayerSpec, *, rows: int) -> Iterator[None]:
    """For big loads, drop the table's indexes (and the constraints they back) and rebuild them
    after the COPY, inside the same transaction: a sorted GiST/btree build is several times faster
    than inserting a million entries one by one.  Readers wait for the commit (the DROP takes an
    exclusive lock).  Skipped under :data:`BULK_ROWS` rows or when a foreign key references the
    table.  A failure rolls the DDL back with everything else.
    """
    table = _table_ident(spec)
    cur.execute(read_sql("table_indexes"), {"table": spec.qualified_name})
    found = cur.fetchall()
    if rows < BULK_ROWS or not found or any(r[4] for r in found):
        yield
        return
    cur.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sorts of the index builds in memory
    for name, _, constraint, _, _ in found:
        if constraint:
            cur.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(table, sql.Identifier(constraint))
            )
        else:
            cur.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(spec.schema, name)))
    yield
    for _, index_def, constraint, constraint_def, _ in found:
        if constraint:  # definitions come from the server's catalog, not from user input
            cur.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    table, sql.Identifier(constraint), sql.SQL(constraint_def)
                )
            )
        else:
            cur.execute(sql.SQL(index_def))


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


@dataclass
class FrameLoad:
    """One layer's part of a (possibly multi-layer) load."""

    spec: LayerSpec
    frame: gpd.GeoDataFrame
    source: SourceInfo
    mode: Mode = "replace"
    scope: Mapping[str, Any] | None = None
    drop_synthetic: bool = False
    notes: list[str] = field(default_factory=list)
    area: str = DEFAULT_AREA
    """The study area the rows belong to: a ``replace`` load deletes this area's rows only."""

    @property
    def rows_scope(self) -> dict[str, Any]:
        """The rows this load owns: its scope within its area."""
        return {"area": self.area, **(self.scope or {})}


def study_area(engine: Engine, *, buffer_km: float = 20.0, area: str = DEFAULT_AREA) -> StudyArea | None:
    """The envelope of study area ``area`` (its outline, else its loaded admin units) buffered by
    ``buffer_km``; None when it has neither."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SELECT to_regclass('land.admin_units')")
        if cur.fetchone()[0] is None:
            return None
        cur.execute(read_sql("study_area"), {"area": area})
        row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    minx, miny, maxx, maxy = (float(v) for v in row)
    dlat = buffer_km / 111.32
    dlon = dlat / max(math.cos(math.radians(max(abs(miny), abs(maxy)))), 0.01)
    return StudyArea(
        (minx - dlon, miny - dlat, maxx + dlon, maxy + dlat),
        name=f"the study area {area} (its outline or admin units + {buffer_km:g} km)",
    )


def load_frame(
    engine: Engine,
    spec: LayerSpec,
    gdf: gpd.GeoDataFrame,
    *,
    source: SourceInfo,
    mode: Mode = "replace",
    scope: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
    study_area: StudyArea | None = None,
    drop_synthetic: bool = False,
    area: str = DEFAULT_AREA,
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
    study_area:
        Refuse features reaching outside it (see :func:`study_area`); None skips the check.
    drop_synthetic:
        Also delete the layer's synthetic rows (of ``area``) in the same transaction (real data
        replaces generated data).
    area:
        The study area the features belong to; a ``replace`` load never touches another area.
    """
    item = FrameLoad(spec, gdf, source, mode=mode, scope=scope, drop_synthetic=drop_synthetic, area=area)
    return load_frames(engine, [item], progress=progress, study_area=study_area)[0]


def load_frames(
    engine: Engine,
    items: list[FrameLoad],
    *,
    progress: Callable[[str], None] | None = None,
    study_area: StudyArea | None = None,
) -> list[LoadReport]:
    """Validate every item, then write them all in **one** transaction (all or nothing)."""
    say = progress or (lambda _msg: None)
    for code in sorted({item.area for item in items}):
        require_area(engine, code)
    prepared = []
    for item in items:
        if item.mode not in MODES:
            raise LayerError(f"Unknown load mode {item.mode!r}.", hint=f"Use one of {', '.join(MODES)}.")
        say(f"validating {len(item.frame)} features for {item.spec.qualified_name}")
        frame, vreport = validate(item.spec, item.frame, source=item.source.path, study_area=study_area)
        report = LoadReport(
            layer=item.spec.qualified_name,
            read=vreport.read,
            repaired=len(vreport.repaired),
            repairs=vreport.repaired,
            ignored_columns=vreport.ignored_columns,
            notes=list(item.notes),
        )
        prepared.append((item, frame, report))
    current = prepared[0][0]
    try:
        with engine.begin() as conn:
            for current, frame, report in prepared:
                _write(conn, current, frame, report, say=say)
    except psycopg2.Error as exc:
        detail = (exc.diag.message_primary or str(exc)).strip()
        extra = f" ({exc.diag.message_detail})" if exc.diag.message_detail else ""
        raise LoadError(
            f"Writing {current.spec.qualified_name} from {current.source.path} failed: {detail}{extra}. "
            "The load was rolled back; the previous data is unchanged.",
            hint="Fix the source (or use --mode upsert for ids that already exist) and load again.",
        ) from exc
    return [report for _, _, report in prepared]


def _write(
    conn: Connection,
    item: FrameLoad,
    frame: gpd.GeoDataFrame,
    report: LoadReport,
    *,
    say: Callable[[str], None],
) -> None:
    """One layer's part of the transaction: provenance row, staging COPY, merge, checksum."""
    spec, source, mode, scope = item.spec, item.source, item.mode, item.rows_scope
    scope_text = json.dumps(dict(item.scope), sort_keys=True) if item.scope else None
    frame["area"] = item.area
    columns = [c for c in frame.columns if c not in {"load_id", "geom"}]
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cur.execute(read_sql("lock_layer"), {"layer": spec.qualified_name})
    cur.execute(read_sql("last_load"), {"layer": spec.qualified_name, "scope": scope_text, "area": item.area})
    last = cur.fetchone()
    if last and mode != "append" and last[1] == source.checksum:
        _, current = content_checksum(conn, spec, scope=scope)
        if current == last[2] and not (item.drop_synthetic and _has_synthetic(cur, spec, item.area)):
            report.unchanged, report.load_id = True, int(last[0])
            return
    params = _provenance_params(spec, source, mode, scope_text, report)
    cur.execute(read_sql("insert_provenance"), {**params, "area": item.area})
    report.load_id, report.layer_version = cur.fetchone()
    frame["load_id"] = report.load_id
    if item.drop_synthetic:
        cur.execute(
            sql.SQL(read_sql("delete_synthetic")).format(table=_table_ident(spec)), {"area": item.area}
        )
        report.synthetic_removed = int(cur.rowcount)
    if mode == "upsert":
        cur.execute(
            sql.SQL("CREATE TEMP TABLE _dothi_stage (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP").format(
                _table_ident(spec)
            )
        )
        say(f"copying {len(frame)} features into staging")
        copy_rows(
            cur, sql.Identifier("_dothi_stage"), frame, [*columns, "load_id"], attributes=spec.attributes
        )
        say(f"merging into {spec.qualified_name} (upsert)")
        report.written = _merge(cur, spec, mode, [*columns, "load_id"], scope)
        cur.execute("DROP TABLE _dothi_stage")
    else:
        with bulk_indexes(cur, spec, rows=len(frame)):
            if mode == "replace":
                where, params = _scope_clause(scope)
                cur.execute(sql.SQL("DELETE FROM {} WHERE {}").format(_table_ident(spec), where), params)
            say(f"copying {len(frame)} features into {spec.qualified_name} ({mode})")
            report.written = copy_rows(
                cur,
                _table_ident(spec),
                frame,
                [*columns, "load_id"],
                attributes=spec.attributes,
                progress=say,
            )
            if len(frame) >= BULK_ROWS:
                say("rebuilding indexes")
    say(f"checksumming {spec.qualified_name}")
    _, checksum = content_checksum(conn, spec, scope=scope)
    cur.execute(
        read_sql("finish_provenance"),
        {"written": report.written, "content_checksum": checksum, "load_id": report.load_id},
    )


def _has_synthetic(cur: Any, spec: LayerSpec, area: str) -> bool:
    cur.execute(
        sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE synthetic AND area = %(area)s)").format(
            _table_ident(spec)
        ),
        {"area": area},
    )
    return bool(cur.fetchone()[0])


def _provenance_params(
    spec: LayerSpec, source: SourceInfo, mode: Mode, scope_text: str | None, report: LoadReport
) -> dict[str, Any]:
    return {
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
            {
                "repairs": report.repairs[:100],
                "ignored_columns": report.ignored_columns,
                "notes": report.notes,
            }
        ),
        "dothi_version": dothi_version(),
    }


def history(engine: Engine, spec: LayerSpec) -> list[dict[str, Any]]:
    """Every load of a layer, newest first (``dothi layers history``)."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(read_sql("history"), {"layer": spec.qualified_name})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def source_files(path: Path) -> list[Path]:
    """The file and its sidecars (a shapefile's .shx/.dbf/.prj/.cpg) — what the checksum covers."""
    if path.suffix.lower() != ".shp":
        return [path]
    sidecars = [path.with_suffix(s) for s in (".shx", ".dbf", ".prj", ".cpg")]
    return [path, *(p for p in sidecars if p.exists())]


def load_file(
    engine: Engine,
    spec: LayerSpec,
    path: str | Path,
    *,
    source_layer: str | None = None,
    crs: str | None = None,
    renames: Mapping[str, str] | None = None,
    encoding: str | None = None,
    mode: Mode = "replace",
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    area: str = DEFAULT_AREA,
) -> LoadReport:
    """Read a vector file and load it into ``spec`` (``dothi load <layer> <file>``).

    The source checksum covers the file bytes and the options that change what is read, so the
    same file with the same options is a no-op the second time.  Unless ``force``, features
    reaching outside the study area ``area`` (its outline or admin units + 20 km) are refused; a
    ``replace`` load replaces the rows of ``area`` only.
    """
    say = progress or (lambda _msg: None)
    path = Path(path)
    say(f"reading {path}")
    result = read_source(path, layer=source_layer, crs=crs, renames=renames, encoding=encoding)
    frame = result.frame
    if "source" not in frame.columns:
        frame["source"] = path.name
    options = json.dumps(
        {"layer": source_layer, "crs": crs, "map": dict(renames or {}), "encoding": encoding}, sort_keys=True
    )
    digest = hashlib.sha256((file_checksum(source_files(path)) + options).encode()).hexdigest()
    source = SourceInfo(
        path=str(path), checksum=digest, crs=result.crs, licence="", attribution="", synthetic=False
    )
    item = FrameLoad(spec, frame, source, mode=mode, notes=result.notes)
    return load_in_area(engine, [item], area=area, force=force, progress=say)[0]


def load_in_area(
    engine: Engine,
    items: list[FrameLoad],
    *,
    area: str = DEFAULT_AREA,
    force: bool = False,
    prefix_ids: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[LoadReport]:
    """Load ``items`` into study area ``area`` in one transaction — what ``dothi load <layer>``,
    ``load osm`` and ``load gtfs`` do with ``--area``: the rows land in that area, a ``replace``
    replaces that area's rows (of each item's scope) only, and unless ``force`` features reaching
    outside that area (its outline or admin units + 20 km) are refused.

    ``prefix_ids``: the source's ids are global (OSM, GTFS), so outside the default area they are
    prefixed ``<area>:`` (:func:`layers.areas.prefixed_ids`) and the same feature may be loaded
    into two overlapping areas."""
    for item in items:
        item.area = area
        if prefix_ids:
            item.frame = prefixed_ids(item.frame, item.spec.id_field, area)
    extent = None if force else study_area(engine, area=area)
    return load_frames(engine, items, progress=progress, study_area=extent)
