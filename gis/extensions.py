"""The PostgreSQL extensions the schema needs, created before migrating when the role may.

On an external server the owner role is often not a superuser and cannot create PostGIS; then
``dothi db migrate`` stops before any revision with a message naming each missing extension and the
SQL an administrator runs — instead of ``type "geometry" does not exist`` halfway through.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg2 import errors, sql
from sqlalchemy.engine import Engine

from gis.errors import MigrationError
from gis.sqlfiles import load_sql

#: What the migrations use (geometry columns); ``postgis_raster`` and ``pgrouting`` are optional.
REQUIRED = ("postgis",)
PACKAGE_HINT = "postgresql-15-postgis-3"


def ensure_extensions(
    engine: Engine, names: Sequence[str] = REQUIRED, *, optional: Sequence[str] = ()
) -> list[str]:
    """Create the missing extensions ``names`` and ``optional``; returns those created.

    Raises :class:`MigrationError` naming every extension of ``names`` that is missing and cannot
    be created (not installed on the server, or the role may not create it), with the SQL to run.
    An ``optional`` extension that cannot be created is left out.
    """
    created: list[str] = []
    refused: list[str] = []
    unavailable: list[str] = []
    with engine.begin() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for name in [*names, *optional]:
            cur.execute(load_sql("gis", "extension_state"), {"name": name})
            installed, available = cur.fetchone()
            if installed:
                continue
            if available and _try_create(cur, name):
                created.append(name)
            elif name in names:
                (refused if available else unavailable).append(name)
    if refused or unavailable:
        raise _missing_error(engine, refused, unavailable)
    return created


def _try_create(cur: Any, name: str) -> bool:
    cur.execute("SAVEPOINT dothi_extension")
    try:
        cur.execute(sql.SQL(load_sql("gis", "extension_create")).format(name=sql.Identifier(name)))
    except errors.InsufficientPrivilege:
        cur.execute("ROLLBACK TO SAVEPOINT dothi_extension")
        return False
    cur.execute("RELEASE SAVEPOINT dothi_extension")
    return True


def _missing_error(engine: Engine, refused: list[str], unavailable: list[str]) -> MigrationError:
    url = engine.url
    where = f"{url.database} on {url.host}:{url.port or 5432}"
    missing = [*unavailable, *refused]
    statements = " ".join(f"CREATE EXTENSION IF NOT EXISTS {name} CASCADE;" for name in missing)
    message = (
        f"Cơ sở dữ liệu {where} thiếu phần mở rộng {', '.join(missing)}. / "
        f"The database {where} lacks the extension(s) {', '.join(missing)}"
    )
    reasons = []
    if unavailable:
        reasons.append(f"not installed on the server: {', '.join(unavailable)}")
    if refused:
        reasons.append(f"the role {url.username!r} may not create {', '.join(refused)}")
    install = f"Install {PACKAGE_HINT} on the server, then as" if unavailable else "As"
    hint = (
        f"{install} a superuser, in database {url.database!r}, run: {statements} "
        "then run `dothi db migrate` again."
    )
    return MigrationError(f"{message} ({'; '.join(reasons)}).", hint=hint)
