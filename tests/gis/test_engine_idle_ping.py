"""A read-only API engine pings a pooled connection only after it sat idle; a dead one is replaced."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from gis.engine import PoolOptions, create_engine

IDLE_S = 0.3


@pytest.fixture
def api_like(test_url: URL) -> Iterator[tuple[Engine, Engine]]:
    """An autocommit engine with one pooled connection and idle pinging, and an admin engine."""
    engine = create_engine(
        test_url, pool=PoolOptions(size=1, max_overflow=0, ping_idle_s=IDLE_S), autocommit=True
    )
    admin = create_engine(test_url, pool=PoolOptions(size=1, max_overflow=0))
    yield engine, admin
    engine.dispose()
    admin.dispose()


def _pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


def _kill(admin: Engine, pid: int) -> None:
    with admin.begin() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    time.sleep(0.1)  # the backend is gone before the next use


def test_a_connection_reused_at_once_is_not_pinged(api_like: tuple[Engine, Engine]) -> None:
    engine, admin = api_like
    pid = _pid(engine)
    assert _pid(engine) == pid  # the pool reuses its one connection
    _kill(admin, pid)
    # reused within the idle window: no ping, so the statement itself meets the dead connection
    with pytest.raises(sa.exc.OperationalError):
        _pid(engine)


def test_a_connection_idle_longer_is_pinged_and_replaced(api_like: tuple[Engine, Engine]) -> None:
    engine, admin = api_like
    pid = _pid(engine)
    _kill(admin, pid)
    time.sleep(IDLE_S + 0.1)
    assert _pid(engine) != pid  # the ping found it dead; the pool connected again, no error


def test_idle_pinging_is_refused_for_transactional_engines(test_url: URL) -> None:
    with pytest.raises(ValueError, match="autocommit"):
        create_engine(test_url, pool=PoolOptions(ping_idle_s=1.0))
