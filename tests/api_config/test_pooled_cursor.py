"""The providers' pooled cursor when the server goes away under a statement (bench_abuse found two
500s during a database restart: the rollback on the dead connection hid the statement's error).

A read statement whose connection is lost runs again once on a new connection (a replica that went
away, api_config/providers/failover.py); lost twice, it is the server being unreachable: 503."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from api_config.guard.unavailable import DatabaseUnavailableError
from api_config.providers.db import engine_for
from api_config.providers.postgis import PooledCursor


def _api_engine(url: URL) -> Engine:
    data = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }
    return engine_for(data, {"statement_timeout_ms": 30000, "pool_size": 1}, read_only=True)


def _terminate(engine: Engine, marker: str, times: int = 1) -> None:
    """Terminate the backend running the statement that carries ``marker`` (as a restart would),
    ``times`` times (each time the statement runs again)."""
    for _ in range(times):
        _terminate_once(engine, marker)


def _terminate_once(engine: Engine, marker: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with engine.begin() as conn:  # a new transaction each time: pg_stat_activity is a snapshot
            done = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE query LIKE :m AND pid <> pg_backend_pid()"
                ),
                {"m": f"%{marker}%"},
            ).scalar()
        if done:
            return
        time.sleep(0.05)
    raise AssertionError("the statement never started")


def test_a_connection_lost_once_runs_the_read_again_on_a_new_one(engine: Engine, test_url: URL) -> None:
    api = _api_engine(test_url)
    marker = "dothi_cursor_lost_once"
    killer = threading.Thread(target=_terminate, args=(engine, marker))
    killer.start()
    with PooledCursor(api) as cur:
        cur.execute(f"SELECT pg_backend_pid(), pg_sleep(0.5) /* {marker} */")
        assert cur.fetchone()[0] > 0
        assert cur.retried
    killer.join()


def test_a_connection_lost_twice_is_503_and_not_pooled(engine: Engine, test_url: URL) -> None:
    api = _api_engine(test_url)
    marker = "dothi_cursor_lost"
    killer = threading.Thread(target=_terminate, args=(engine, marker, 2))
    killer.start()
    with pytest.raises(DatabaseUnavailableError), PooledCursor(api) as cur:
        cur.execute(f"SELECT pg_sleep(5) /* {marker} */")
    killer.join()
    # the next request gets a fresh, working connection from the pool
    with PooledCursor(api) as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone()[0] == 1
