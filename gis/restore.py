"""``dothi db restore``: an archive of ``dothi db backup`` back into a database and a data folder.

Order, so that a bad archive or a failed restore leaves the target exactly as it was:

1. the manifest is read and checked (format, revisions this code knows);
2. the target is inspected: a database already holding dothi data is refused unless ``force``;
3. the dump and every raster are extracted into a staging folder inside the data folder, each
   checked against its sha256 in the manifest;
4. the database is replaced in ONE transaction (``psql --single-transaction`` fed by
   ``pg_restore``): the backup's schemas are dropped and recreated, so either the whole backup is
   in or nothing changed;
5. the rasters are moved into place (a rename each, same file system);
6. row counts and checksums of every table are compared with the manifest.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from psycopg2 import sql
from sqlalchemy.engine import URL

from gis import pgtools
from gis.archive import DATA_PREFIX, Progress, extract_verified, read_manifest
from gis.backup import table_checksums
from gis.engine import PoolOptions, check_connection, create_engine
from gis.errors import BackupError
from gis.sqlfiles import load_sql

#: TOC entries left out: extensions are created (IF NOT EXISTS) before the restore instead, since
#: ``CREATE EXTENSION`` / ``COMMENT ON EXTENSION`` need ownership a database owner may not have.
_SKIPPED_TOC = re.compile(r"^\d+; \d+ \d+ (EXTENSION|COMMENT - EXTENSION) ")


def _noop(_: str) -> None:
    pass


def restore(
    url: URL,
    data_dir: Path,
    archive: Path,
    *,
    known_revisions: set[str] | None = None,
    force: bool = False,
    progress: Progress = _noop,
) -> dict[str, Any]:
    """Restore ``archive`` into the database at ``url`` and the folder ``data_dir``; return a summary."""
    pg_restore, psql = pgtools.client("pg_restore"), pgtools.client("psql")
    manifest = read_manifest(archive)
    _check_revisions(manifest, known_revisions, archive)
    engine = create_engine(url, pool=PoolOptions(size=1, max_overflow=0), application_name="dothi-restore")
    try:
        check_connection(engine)
        raw = engine.raw_connection()
        try:
            _refuse_existing(raw, manifest, url, force)
            data_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix=".dothi-restore-", dir=data_dir) as tmp:
                staging = Path(tmp)
                dump = extract_verified(archive, manifest, staging, progress)
                progress(f"restoring {len(manifest['database']['tables'])} tables in one transaction …")
                _restore_database(raw, url, dump, manifest, clients=(pg_restore, psql))
                _move_rasters(staging, data_dir, manifest, progress)
            mismatches = _verify(raw, manifest, progress)
        finally:
            raw.close()
    finally:
        engine.dispose()
    if mismatches:
        raise BackupError(
            f"Dữ liệu khôi phục không khớp / restored data differs from the manifest of {archive}: "
            + "; ".join(mismatches)
        )
    return _summary(manifest)


def _check_revisions(manifest: dict[str, Any], known: set[str] | None, archive: Path) -> None:
    revisions = set(manifest["database"]["alembic_revisions"])
    unknown = sorted(revisions - known) if known is not None else []
    if unknown:
        raise BackupError(
            f"Phiên bản không khớp / version mismatch: {archive} was written by dothi "
            f"{manifest.get('dothi_version')} at schema revision(s) {', '.join(unknown)}, "
            "which this dothi does not know (the backup is newer than this code).",
            hint=f"Restore it with dothi {manifest.get('dothi_version')} or newer.",
        )


def _refuse_existing(raw: Any, manifest: dict[str, Any], url: URL, force: bool) -> None:
    with raw.cursor() as cur:
        cur.execute(load_sql("gis", "restore_target_state"), {"schemas": manifest["database"]["schemas"]})
        schemas, has_revisions = cur.fetchone()
    raw.rollback()
    if (schemas or has_revisions) and not force:
        held = ", ".join(schemas) or "alembic_version"
        raise BackupError(
            f"Cơ sở dữ liệu đích đã có dữ liệu / the target database {url.database!r} already holds dothi "
            f"data (schemas: {held}); nothing was changed.",
            hint="Add --force to replace it (in one transaction: all of the backup or nothing), "
            "or restore into an empty database.",
        )


def _preamble(raw: Any, manifest: dict[str, Any]) -> bytes:
    """Extensions, then drop what the backup recreates (schemas, tables of public)."""
    db = manifest["database"]
    parts = [
        sql.SQL(load_sql("gis", "restore_extension")).format(extension=sql.Identifier(ext))
        for ext in db["extensions"]
    ]
    if db["schemas"]:
        schemas = sql.SQL(", ").join(sql.Identifier(s) for s in db["schemas"])
        parts.append(sql.SQL(load_sql("gis", "restore_drop_schemas")).format(schemas=schemas))
    public = [name.split(".", 1)[1] for name in db["tables"] if name.startswith("public.")]
    if public:
        tables = sql.SQL(", ").join(sql.Identifier("public", t) for t in public)
        parts.append(sql.SQL(load_sql("gis", "restore_drop_tables")).format(tables=tables))
    text = (
        "SET client_min_messages = warning;\n"
        + "\n".join(p.as_string(raw.dbapi_connection) for p in parts)
        + "\n"
    )
    return text.encode("utf-8")


def _toc(pg_restore: str, dump: Path, url: URL, folder: Path) -> Path:
    listing = pgtools.run([pg_restore, "--list", str(dump)], url, what="Đọc bản sao lưu / reading the dump")
    kept = [line for line in listing.decode("utf-8").splitlines() if not _SKIPPED_TOC.match(line)]
    toc = folder / "restore.list"
    toc.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return toc


def _restore_database(
    raw: Any, url: URL, dump: Path, manifest: dict[str, Any], *, clients: tuple[str, str]
) -> None:
    pg_restore, psql = clients
    toc = _toc(pg_restore, dump, url, dump.parent)
    env = pgtools.libpq_env(url)
    err_psql, err_restore = dump.parent / "psql.err", dump.parent / "pg_restore.err"
    with err_psql.open("wb") as e1, err_restore.open("wb") as e2:
        sink = subprocess.Popen(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--no-password", "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=e1,
            env=env,
        )
        assert sink.stdin is not None  # noqa: S101 - stdin=PIPE
        sink.stdin.write(_preamble(raw, manifest))
        sink.stdin.flush()
        source = subprocess.run(
            [pg_restore, "--no-owner", f"--use-list={toc}", "--file=-", str(dump)],
            stdout=sink.stdin,
            stderr=e2,
            env=env,
            check=False,
        )
        sink.stdin.close()
        sink.wait()
    if source.returncode or sink.returncode:
        detail = (err_restore.read_text("utf-8", "replace") + err_psql.read_text("utf-8", "replace")).strip()
        raise BackupError(
            f"Khôi phục thất bại, cơ sở dữ liệu không đổi / restore failed and was rolled back, "
            f"the database {url.database!r} is unchanged: {detail[-2000:]}",
            hint=_role_hint(detail),
        )


def _role_hint(detail: str) -> str | None:
    if re.search(r'role "[^"]+" does not exist', detail):
        return (
            "The backup grants rights to roles this server lacks: run `dothi db migrate` on the target first."
        )
    return None


def _move_rasters(staging: Path, data_dir: Path, manifest: dict[str, Any], progress: Progress) -> None:
    for raster in manifest["rasters"]:
        target = data_dir / raster["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        (staging / (DATA_PREFIX + raster["path"])).replace(target)
        progress(f"raster {raster['path']}")


def _verify(raw: Any, manifest: dict[str, Any], progress: Progress) -> list[str]:
    expected = manifest["database"]["tables"]
    tables = [tuple(name.split(".", 1)) for name in expected]
    with raw.cursor() as cur:
        actual = table_checksums(cur, tables, progress)
    raw.rollback()
    return [
        f"{name}: {actual[name]['rows']} rows (manifest {want['rows']})"
        + ("" if actual[name]["checksum"] == want["checksum"] else ", checksum differs")
        for name, want in expected.items()
        if actual[name] != want
    ]


def _summary(manifest: dict[str, Any]) -> dict[str, Any]:
    db = manifest["database"]
    return {
        "dothi_version": manifest.get("dothi_version"),
        "created_at": manifest.get("created_at"),
        "revisions": db["alembic_revisions"],
        "tables": len(db["tables"]),
        "rows": sum(t["rows"] for t in db["tables"].values()),
        "rasters": len(manifest["rasters"]),
        "verified": True,
    }
