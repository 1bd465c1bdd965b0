"""``dothi db backup``, ``restore``, ``check`` and ``ddl``: operating the database and its schema.

Registered on the ``db`` group of :mod:`api_config.cli.db`; the work is done in :mod:`gis.backup`,
:mod:`gis.restore` and :mod:`analysis.schema_check`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api_config.cli.app import VERSION_DIRS, App, pass_app
from api_config.cli.db import db


@db.command()
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@pass_app
def backup(app: App, file: Path) -> None:
    """Back up the database and the raster files into one archive FILE.

    \b
    FILE is a tar archive holding:
      manifest.json   dothi version, schema revisions, date, row count and checksum
                      of every table, sha256 of every other member
      database.dump   pg_dump --format=custom of the whole database
      data/…          every raster file listed in catalog.rasters (COGs under the
                      data folder, DOTHI_DATA_DIR), checked against the catalog
    The manifest describes exactly the dumped data (one snapshot), so a backup
    can run while the API serves. Written to FILE.partial, renamed when complete.
    Works with the embedded database and with DOTHI_DATABASE_URL; needs the
    PostgreSQL 15 client programs (pg_dump). Restore with `dothi db restore FILE`.
    """
    from gis.backup import backup as run_backup
    from gis.sqlfiles import dothi_version

    manifest = run_backup(
        app.url, app.db.data_dir, file, dothi_version=dothi_version(), progress=app.progress
    )
    db_info = manifest["database"]
    rows = sum(t["rows"] for t in db_info["tables"].values())
    summary = {
        "file": str(file.resolve()),
        "bytes": file.stat().st_size,
        "revisions": db_info["alembic_revisions"],
        "tables": len(db_info["tables"]),
        "rows": rows,
        "rasters": len(manifest["rasters"]),
    }
    app.output(
        summary,
        f"Đã sao lưu / backed up: {summary['tables']} tables ({rows} rows), {summary['rasters']} rasters "
        f"→ {summary['file']} ({summary['bytes'] / 1e6:.1f} MB)",
    )


@db.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that already holds dothi data "
    "(in one transaction: all of the backup or nothing).",
)
@pass_app
def restore(app: App, file: Path, force: bool) -> None:
    """Restore an archive FILE written by `dothi db backup`.

    \b
    Into the database of this dothi (embedded, created if missing, or
    DOTHI_DATABASE_URL) and the data folder (DOTHI_DATA_DIR):
      1. the manifest is checked: an archive of a newer dothi (a schema
         revision this code does not know) is refused;
      2. a database that already holds dothi data is refused unless --force;
      3. the dump and every raster are extracted and checked against their
         sha256 before anything is changed: a damaged archive changes nothing;
      4. the database is replaced in ONE transaction (the backup's schemas are
         dropped and recreated): all of the backup or nothing;
      5. the rasters are moved into the data folder;
      6. row counts and checksums of every table are compared with the manifest.
    A backup of an older dothi is then brought up to date with `dothi db migrate`.
    Restore only archives you trust: the dump runs as SQL with the database user's rights.
    """
    from gis import migrate as migrations
    from gis.engine import ensure_database
    from gis.restore import restore as run_restore

    if not app.db.external:  # an external database must exist; its extensions come with the restore
        app.cluster.up()
        ensure_database(app.url)
    known = migrations.known_revisions(VERSION_DIRS)
    summary = run_restore(
        app.url, app.db.data_dir, file, known_revisions=known, force=force, progress=app.progress
    )
    heads = migrations.head_revisions(VERSION_DIRS)
    summary["migrate_needed"] = set(summary["revisions"]) != heads
    text = (
        f"Đã khôi phục và kiểm tra / restored and verified: {summary['tables']} tables "
        f"({summary['rows']} rows), {summary['rasters']} rasters from dothi {summary['dothi_version']} "
        f"({summary['created_at']})"
    )
    if summary["migrate_needed"]:
        text += "\nLược đồ cũ hơn mã / the schema is older than this code: run `dothi db migrate`."
    app.output(summary, text)


@db.command()
@pass_app
def check(app: App) -> None:
    """Compare every catalog layer's and indicator's table with its declaration.

    Lists each table the catalog declares that no migration revision creates, and every
    missing or extra column, type, nullability or geometry type/SRID that differs. Exit code 1
    when anything differs: add a migration revision (`dothi db ddl NAME` prints its SQL;
    docs/architecture.md, "Where things go").
    """
    from analysis.schema_check import check_schema

    problems = check_schema(app.engine())
    app.output(
        [p.__dict__ for p in problems],
        "\n".join(str(p) for p in problems)
        or "Lược đồ khớp khai báo / every declared table matches the database.",
    )
    if problems:
        sys.exit(1)


@db.command()
@click.argument("name")
@pass_app
def ddl(app: App, name: str) -> None:
    """Print the SQL of a new migration revision for layer or indicator NAME.

    Migrations are frozen: a layer or indicator added to the catalog needs its own revision.
    Save the output as <package>/migrations/sql/<name>.sql and run it from the revision's
    upgrade() (docs/architecture.md, "Where things go"). Needs no database.
    """
    from analysis.ddl import revision_sql

    text = revision_sql(name)
    app.output({"name": name, "sql": text}, text.rstrip())
