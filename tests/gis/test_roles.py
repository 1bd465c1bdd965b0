"""Least privilege in the database: what the API's logins may and may not do (real PostGIS).

Every refusal is checked to be a *permission* failure (``InsufficientPrivilege``), on connections
without the read-only session setting, or after undoing it: a session setting is not a wall.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import requests
import sqlalchemy as sa
from psycopg2 import errors
from sqlalchemy.engine import URL, Engine

from api_config.providers import db as api_db
from api_config.providers.db import engine_for
from gis import roles
from gis.errors import ConfigError
from gis.logins import ApiLogins, api_logins, check_logins
from gis.settings import DatabaseSettings
from tests.conftest import bearer

DENIED = errors.InsufficientPrivilege


@pytest.fixture(scope="module")
def logins(loaded: Engine, test_url: URL) -> ApiLogins:
    return api_logins(DatabaseSettings(), test_url)


def _connect(url: URL) -> Any:
    conn = psycopg2.connect(
        host=url.host, port=url.port, dbname=url.database, user=url.username, password=url.password
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def reader(logins: ApiLogins) -> Iterator[Any]:
    conn = _connect(logins.reader)
    yield conn.cursor()
    conn.close()


@pytest.fixture
def analyst(logins: ApiLogins) -> Iterator[Any]:
    conn = _connect(logins.analyst)
    yield conn.cursor()
    conn.close()


def _exists(engine: Engine, table: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}).scalar_one()


def test_logins_and_groups_have_no_administrative_attribute(loaded: Engine, logins: ApiLogins) -> None:
    assert (logins.reader.username, logins.analyst.username) == (roles.API_LOGIN, roles.JOBS_LOGIN)
    with loaded.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
                "rolcanlogin FROM pg_roles WHERE rolname = ANY(:r)"
            ),
            {"r": [*roles.LOGINS, *roles.LOGINS.values()]},
        ).all()
    assert {r.rolname: r[1:] for r in rows} == {
        "dothi_api": (False, False, False, False, False, True),
        "dothi_jobs": (False, False, False, False, False, True),
        "dothi_reader": (False, False, False, False, False, False),
        "dothi_analyst": (False, False, False, False, False, False),
    }
    check_logins(logins)  # what `dothi serve` checks before starting


def test_reader_reads_published_data_only(reader: Any) -> None:
    reader.execute("SELECT count(*) FROM land.admin_units")
    assert reader.fetchone()[0] > 0
    reader.execute("SELECT count(*) FROM catalog.load_provenance")
    assert reader.fetchone()[0] > 0
    with pytest.raises(DENIED):
        reader.execute("SELECT count(*) FROM public.jobs")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO catalog.data_versions (table_name, version) VALUES ('land.x', 1)",
        "UPDATE land.admin_units SET name_en = 'x'",
        "DELETE FROM analysis.population_density",
        "TRUNCATE land.admin_units",
        "CREATE TABLE public.dothi_marker (x int)",
        "CREATE TABLE land.dothi_marker (x int)",
        "COPY (SELECT 1) TO PROGRAM 'touch /tmp/dothi_marker'",
        "SELECT rolpassword FROM pg_authid",
        "SELECT pg_read_file('/etc/passwd')",
        "SELECT catalog.track_changes('land.admin_units')",
    ],
)
def test_reader_is_refused_by_permission(reader: Any, loaded: Engine, statement: str) -> None:
    reader.execute("SHOW default_transaction_read_only")
    assert reader.fetchone()[0] == "off"  # no session setting helps here: only permissions
    with pytest.raises(DENIED):
        reader.execute(statement)
    assert not _exists(loaded, "public.dothi_marker") and not _exists(loaded, "land.dothi_marker")


def test_injected_write_on_the_api_read_path_fails_by_permission(logins: ApiLogins, loaded: Engine) -> None:
    """The read path's pooled read-only connection, with its session setting undone by SQL."""
    data = {
        "host": logins.reader.host,
        "port": logins.reader.port,
        "dbname": logins.reader.database,
        "user": logins.reader.username,
        "password": logins.reader.password,
    }
    raw = engine_for(data, {"statement_timeout_ms": 5000}, read_only=True).raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET SESSION default_transaction_read_only = off")
        cur.execute("BEGIN")
        cur.execute("SET TRANSACTION READ WRITE")
        with pytest.raises(DENIED):
            cur.execute("CREATE TABLE public.dothi_marker (x int)")
        cur.execute("ROLLBACK")
        for statement in (
            "SET TRANSACTION READ WRITE; CREATE TABLE land.dothi_marker (x int)",
            "COPY (SELECT 1) TO PROGRAM 'touch /tmp/dothi_marker'",
            "SELECT rolpassword FROM pg_authid",
        ):
            with pytest.raises(DENIED):
                cur.execute(statement)
    finally:
        raw.invalidate()
    assert not _exists(loaded, "public.dothi_marker") and not _exists(loaded, "land.dothi_marker")
    assert not Path("/tmp/dothi_marker").exists()  # noqa: S108 (the server would write it)


def test_analyst_writes_jobs_but_nothing_published(analyst: Any, loaded: Engine) -> None:
    analyst.execute(
        "INSERT INTO public.jobs (identifier, process_id, status, progress) "
        "VALUES ('roles-test', 'p', 'accepted', 0)"
    )
    analyst.execute(
        "UPDATE public.jobs SET status = 'successful', output = 'x' WHERE identifier = 'roles-test'"
    )
    analyst.execute("SELECT status FROM public.jobs WHERE identifier = 'roles-test'")
    assert analyst.fetchone()[0] == "successful"
    analyst.execute("DELETE FROM public.jobs WHERE identifier = 'roles-test'")
    assert analyst.rowcount == 1
    analyst.execute("SELECT count(*) FROM analysis.population_density")  # reads like the reader
    assert analyst.fetchone()[0] > 0
    for statement in (
        "UPDATE analysis.population_density SET run_id = run_id",
        "INSERT INTO analysis.indicator_runs DEFAULT VALUES",
        "DELETE FROM land.admin_units",
        "CREATE TABLE analysis.dothi_marker (x int)",
        "ALTER TABLE public.jobs ADD COLUMN dothi_marker int",
        "COPY (SELECT 1) TO PROGRAM 'touch /tmp/dothi_marker'",
    ):
        with pytest.raises(DENIED):
            analyst.execute(statement)


def test_tables_created_later_by_the_owner_are_readable_and_tracked(loaded: Engine, reader: Any) -> None:
    """Default privileges give new published tables to the reader; the change trigger runs with its
    owner's rights, so an editor allowed to write one table bumps its version without any right on
    ``catalog.data_versions``."""
    editor = f"dothi_editor_{os.getpid()}"
    with loaded.begin() as conn:
        conn.execute(sa.text("CREATE TABLE land.dothi_later (x int)"))
        conn.execute(sa.text("SELECT catalog.track_changes('land.dothi_later')"))
        conn.execute(sa.text("INSERT INTO land.dothi_later VALUES (1)"))
        conn.execute(sa.text(f"CREATE ROLE {editor} NOLOGIN IN ROLE dothi_reader"))
        conn.execute(sa.text(f"GRANT UPDATE ON land.dothi_later TO {editor}"))
    try:
        reader.execute("SELECT x FROM land.dothi_later")
        assert reader.fetchall() == [(1,)]
        reader.execute("SELECT version FROM catalog.data_versions WHERE table_name = 'land.dothi_later'")
        assert reader.fetchone()[0] == 1
        with loaded.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL ROLE {editor}"))
            conn.execute(sa.text("UPDATE land.dothi_later SET x = 2"))
        reader.execute("SELECT version FROM catalog.data_versions WHERE table_name = 'land.dothi_later'")
        assert reader.fetchone()[0] == 2
    finally:
        with loaded.begin() as conn:
            conn.execute(sa.text("DROP TABLE land.dothi_later"))
            conn.execute(sa.text("DELETE FROM catalog.data_versions WHERE table_name = 'land.dothi_later'"))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {editor}"))


def test_the_running_api_connects_as_its_logins(
    api_server: str, loaded: Engine, test_url: URL, api_keys: dict[str, str]
) -> None:
    for path in (
        "/collections/admin_units/items?f=json&limit=2",
        "/collections/admin_units/tiles/WebMercatorQuad/10/809/483?f=mvt",
        "/collections/catalogue/items?f=json",
        "/jobs?f=json",
    ):
        resp = requests.get(f"{api_server}{path}", headers=bearer(api_keys["ana"]), timeout=60)
        assert resp.status_code in (200, 204), path
    # this test process's own API engines (other tests use them directly) are not the server's
    for own in list(api_db._ENGINES.values()):
        own.dispose()
    deadline = time.monotonic() + 10  # a closed connection's backend leaves pg_stat_activity soon after
    while True:
        rows = _activity(loaded, str(test_url.database))
        strays = [r for r in rows if r.application_name == "dothi-api" and r.rolsuper]
        if not strays or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    api_users = {r.usename for r in rows if r.usename != test_url.username}
    assert api_users == {roles.API_LOGIN, roles.JOBS_LOGIN}
    assert not [r for r in rows if r.application_name == "dothi-api" and r.usename not in api_users]
    assert not [r for r in rows if r.usename in api_users and r.rolsuper]


def _activity(engine: Engine, database: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.text(
                    "SELECT a.usename, a.application_name, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r "
                    "ON r.rolname = a.usename WHERE a.datname = :db AND a.pid <> pg_backend_pid()"
                ),
                {"db": database},
            ).all()
        )


def test_api_logins_refuse_the_owner(test_url: URL) -> None:
    with pytest.raises(ConfigError, match="administrative attribute"):
        check_logins(ApiLogins(reader=test_url, analyst=test_url))


def test_external_server_without_login_urls_is_refused(test_url: URL) -> None:
    owner = test_url.render_as_string(hide_password=False)
    with pytest.raises(ConfigError) as caught:
        api_logins(DatabaseSettings(database_url=owner), test_url)
    text = str(caught.value)
    assert "DOTHI_READER_URL" in text and "DOTHI_ANALYST_URL" in text and "Với DOTHI_DATABASE_URL" in text
    assert "CREATE ROLE dothi_api LOGIN" in text and "dothi db roles" in text
    reader = test_url.set(username="dothi_api", password="secret").render_as_string(hide_password=False)
    got = api_logins(
        DatabaseSettings(database_url=owner, reader_url=reader, analyst_url=reader.replace("_api", "_jobs")),
        test_url,
    )
    assert (got.reader.username, got.analyst.username, got.analyst.password) == (
        "dothi_api",
        "dothi_jobs",
        "secret",
    )
