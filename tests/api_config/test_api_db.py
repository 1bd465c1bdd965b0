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
