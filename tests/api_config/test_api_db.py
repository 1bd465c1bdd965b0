"""The API's pooled connections carry the settings the API depends on."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import URL, Engine

from api_config.providers.db import engine_for
from gis.engine import create_engine


def _data(url: URL) -> dict[str, object]:
    return {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }


def test_api_connections_have_timeout_no_jit_no_parallel_workers(engine: Engine, test_url: URL) -> None:
    api = engine_for(_data(test_url), {"statement_timeout_ms": 1234})
    with api.connect() as conn:
        shown = {
            name: conn.exec_driver_sql(f"SHOW {name}").scalar()
            for name in ("statement_timeout", "jit", "max_parallel_workers_per_gather", "application_name")
        }
    assert shown == {
        "statement_timeout": "1234ms",
        "jit": "off",
        "max_parallel_workers_per_gather": "0",
        "application_name": "dothi-api",
    }


def test_server_settings_refuse_anything_but_names_and_words(test_url: URL) -> None:
    with pytest.raises(ValueError, match="only letters"):
        create_engine(test_url, server_settings={"jit": "off -c log_statement=all"})


def test_read_only_engines_refuse_writes(engine: Engine, test_url: URL) -> None:
    import psycopg2
    import sqlalchemy as sa

    api = engine_for(_data(test_url), {"statement_timeout_ms": 1234}, read_only=True)
    raw = api.raw_connection()
    try:
        assert raw.driver_connection.autocommit  # no BEGIN/ROLLBACK round trips
        cur = raw.cursor()
        cur.execute("SHOW default_transaction_read_only")
        assert cur.fetchone()[0] == "on"
        with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
            cur.execute("UPDATE land.admin_units SET name_en = name_en")
    finally:
        raw.close()
    with engine.connect() as conn:  # the ordinary engine still writes
        conn.execute(sa.text("CREATE TEMP TABLE t (x int)"))
