"""`dothi db migrate` on an empty database: extensions created when the role may, named when not.

The external-server recipe: a schema-owner role that is not a superuser, its own empty database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import psycopg2
import pytest
import sqlalchemy as sa
from psycopg2 import sql
from sqlalchemy.engine import URL

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis import migrate
from gis.engine import create_engine, drop_database
from gis.errors import MigrationError
from gis.logins import api_logins
from gis.settings import DatabaseSettings
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS

DIRS = (LAYER_VERSIONS, ANALYSIS_VERSIONS)


def _admin(url: URL, statements: list[sql.Composable], *, database: str = "postgres") -> None:
    conn = psycopg2.connect(
        host=url.host, port=url.port, dbname=database, user=url.username, password=url.password
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def empty_db(test_url: URL) -> Iterator[tuple[URL, URL]]:
    """(superuser URL, non-superuser owner URL) of a new database without any extension."""
    name, owner = f"dothi_empty_{os.getpid()}", f"dothi_owner_{os.getpid()}"
    password = secrets.token_urlsafe(16)
    admin = test_url.set(database=name)
    drop_database(admin)
    _admin(test_url, [sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(owner))])
    _admin(
        test_url,
        [
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(owner), sql.Literal(password)),
            sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0").format(
                sql.Identifier(name), sql.Identifier(owner)
            ),
        ],
    )
    yield admin, admin.set(username=owner, password=password)
    drop_database(admin)
    _admin(test_url, [sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(owner))])


def _schemas(url: URL) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT nspname FROM pg_namespace")).scalars())
    finally:
        engine.dispose()


def test_owner_without_rights_is_told_which_extensions_to_create(empty_db: tuple[URL, URL]) -> None:
    admin, owner = empty_db
    engine = create_engine(owner)
    try:
        with pytest.raises(MigrationError) as caught:
            migrate.upgrade(engine, extra_version_dirs=DIRS)
        text = str(caught.value)
        assert "thiếu phần mở rộng postgis" in text and "lacks the extension(s) postgis" in text
        assert f"the role {owner.username!r} may not create postgis" in text
        assert f"in database {owner.database!r}, run: CREATE EXTENSION IF NOT EXISTS postgis CASCADE;" in text
        assert "geometry" not in text
        assert migrate.current_revisions(engine) == set() and "land" not in _schemas(owner)
        # the administrator creates it; the owner (no superuser) then migrates everything
        _admin(admin, [sql.SQL("CREATE EXTENSION postgis")], database=str(admin.database))
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        assert migrate.current_revisions(engine) == migrate.head_revisions(DIRS)
    finally:
        engine.dispose()
    # the reader login reads the tables this owner created (its grants and default privileges)
    reader = create_engine(api_logins(DatabaseSettings(), owner).reader)
    try:
        with reader.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM land.admin_units")).scalar_one() == 0
    finally:
        reader.dispose()


def test_a_role_that_may_creates_the_extensions_itself(empty_db: tuple[URL, URL]) -> None:
    admin, _ = empty_db
    engine = create_engine(admin)
    try:
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        assert migrate.current_revisions(engine) == migrate.head_revisions(DIRS)
        with engine.connect() as conn:
            assert conn.execute(
                sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
    finally:
        engine.dispose()


def test_roles_revision_down_and_up(empty_db: tuple[URL, URL]) -> None:
    admin, _ = empty_db
    engine = create_engine(admin)
    reader = create_engine(api_logins(DatabaseSettings(), admin).reader)
    query = sa.text("SELECT count(*) FROM land.admin_units")
    try:
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        migrate.downgrade(engine, extra_version_dirs=DIRS, revision="0006_data_versions")
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), reader.connect() as conn:
            conn.execute(query)
        with engine.connect() as conn:  # the group roles stay (cluster-wide), and so does the jobs table
            assert conn.execute(
                sa.text("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'dothi\\_%'")
            ).scalar()
            assert conn.execute(sa.text("SELECT to_regclass('public.jobs') IS NOT NULL")).scalar()
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        with reader.connect() as conn:
            assert conn.execute(query).scalar_one() == 0
    finally:
        reader.dispose()
        engine.dispose()
