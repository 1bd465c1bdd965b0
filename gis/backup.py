"""``dothi db backup``: the database (pg_dump) and the raster files in one verified archive.

Everything the manifest says is read in the snapshot pg_dump dumps (``pg_export_snapshot`` +
``pg_dump --snapshot``): row counts and checksums, revisions and the raster list describe exactly
the dumped data, even while loads or indicator runs go on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psycopg2 import sql
from sqlalchemy.engine import URL

from gis import pgtools
from gis.archive import FORMAT, FORMAT_VERSION, Progress, safe_relative, sha256_file, write_archive
from gis.engine import PoolOptions, check_connection, create_engine
from gis.errors import BackupError
from gis.sqlfiles import load_sql


def _noop(_: str) -> None:
    pass


def backup(
    url: URL, data_dir: Path, archive: Path, *, dothi_version: str, progress: Progress = _noop
) -> dict[str, Any]:
    """Write ``archive`` (database + rasters + manifest); return the manifest."""
    pg_dump = pgtools.client("pg_dump")
    archive = archive.resolve()
    if not archive.parent.is_dir():
        raise BackupError(
            f"Thư mục không tồn tại / folder does not exist: {archive.parent} (for {archive.name})"
        )
    with tempfile.TemporaryDirectory(prefix=".dothi-backup-", dir=archive.parent) as tmp:
        dump = Path(tmp) / "database.dump"
        facts = _dump_in_snapshot(url, pg_dump, dump, progress)
        rasters = _raster_files(data_dir, facts.pop("raster_rows"), progress)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "dothi_version": dothi_version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **facts,
            "dump": {"file": "database.dump", "bytes": dump.stat().st_size, "sha256": sha256_file(dump)},
            "rasters": [r for r, _ in rasters],
        }
        progress(f"writing {archive}")
        write_archive(archive, manifest, dump, {r["path"]: p for r, p in rasters})
    return manifest


def _dump_in_snapshot(url: URL, pg_dump: str, dump: Path, progress: Progress) -> dict[str, Any]:
    engine = create_engine(url, pool=PoolOptions(size=1, max_overflow=0), application_name="dothi-backup")
    check_connection(engine)
    raw: Any = engine.raw_connection()
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
            snapshot, server_version = cur.fetchone()
            pgtools.check_server_version(server_version)
            facts = database_facts(cur, progress)
            facts["database"]["server_version_num"] = server_version
            progress(f"pg_dump {url.database} …")
            pgtools.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", "--no-password"],
                url,
                what="Sao lưu cơ sở dữ liệu / database dump",
            )
        raw.rollback()
    finally:
        raw.close()
        engine.dispose()
    return facts


def database_facts(cur: Any, progress: Progress = _noop) -> dict[str, Any]:
    """Revisions, extensions, schemas, tables (rows, checksum) and raster rows, from one snapshot."""
    tables = _rows(cur, "backup_tables")
    names = {(s, t) for s, t in tables}
    return {
        "database": {
            "alembic_revisions": [r for (r,) in _rows(cur, "revisions")]
            if ("public", "alembic_version") in names
            else [],
            "extensions": dict(_rows(cur, "backup_extensions")),
            "schemas": [n for (n,) in _rows(cur, "backup_schemas")],
            "tables": table_checksums(cur, tables, progress),
        },
        "raster_rows": _rows(cur, "backup_rasters") if ("catalog", "rasters") in names else [],
    }


def _rows(cur: Any, name: str) -> list[tuple[Any, ...]]:
    cur.execute(load_sql("gis", name))
    return list(cur.fetchall())


def table_checksums(
    cur: Any, tables: Iterable[tuple[str, str]], progress: Progress = _noop
) -> dict[str, Any]:
    """``{"schema.table": {"rows": n, "checksum": md5}}`` with fixed text-output settings."""
    cur.execute(load_sql("gis", "checksum_settings"))
    out: dict[str, Any] = {}
    query = sql.SQL(load_sql("gis", "table_checksum"))
    for schema, table in tables:
        cur.execute(query.format(table=sql.Identifier(schema, table)))
        rows, checksum = cur.fetchone()
        out[f"{schema}.{table}"] = {"rows": rows, "checksum": checksum}
        progress(f"{schema}.{table}: {rows} rows")
    return out


def _raster_files(
    data_dir: Path, raster_rows: list[tuple[str, str]], progress: Progress
) -> list[tuple[dict[str, Any], Path]]:
    """Each catalog raster's file, checked against the checksum the catalog recorded."""
    out = []
    for i, (path, checksum) in enumerate(raster_rows, 1):
        file = data_dir / safe_relative(path, where="catalog.rasters")
        if not file.is_file():
            raise BackupError(
                f"Thiếu tệp raster / raster file missing: {file} (listed in catalog.rasters as {path!r}).",
                hint="Set DOTHI_DATA_DIR to the data folder that holds the rasters, or reload the raster.",
            )
        digest = sha256_file(file)
        if checksum and digest != checksum:
            raise BackupError(
                f"Tệp raster đã thay đổi / raster file {file} does not match catalog.rasters "
                f"(sha256 {digest[:16]}…, catalog {checksum[:16]}…).",
                hint="Reload the raster (`dothi load raster`) or restore it from an earlier backup.",
            )
        out.append(({"path": path, "bytes": file.stat().st_size, "sha256": digest}, file))
        progress(f"raster {i}/{len(raster_rows)} {path}")
    return out
