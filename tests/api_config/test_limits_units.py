"""The limits' parts on their own: client keys behind proxies, the rate limiter, the body bound,
and the time budget on a real pooled connection (its statement timeout restored after use)."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy.engine import URL, Engine

from api_config.limits import budget
from api_config.limits.clients import IDENTITY, client_address, client_key, parse_networks
from api_config.limits.middleware import BodyTooLargeError, _bound_body
from api_config.limits.rate import rate_limit
from api_config.providers.db import engine_for
from api_config.providers.postgis import PooledCursor, ProviderTimeoutError

PROXY = parse_networks("10.0.0.0/8, 127.0.0.1")


def test_forwarded_address_is_believed_only_from_trusted_proxies() -> None:
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.9, 10.1.2.3"}
    assert client_address({"REMOTE_ADDR": "127.0.0.1", **forwarded}, PROXY) == "198.51.100.9"
    # a client claiming an address itself is keyed by its own
    assert client_address({"REMOTE_ADDR": "203.0.113.5", **forwarded}, PROXY) == "203.0.113.5"
    assert client_address({"REMOTE_ADDR": "127.0.0.1", **forwarded}, ()) == "127.0.0.1"
    assert client_key({"REMOTE_ADDR": "203.0.113.5", IDENTITY: "planner-1"}, PROXY) == "id:planner-1"
    with pytest.raises(ValueError, match="DOTHI_API_TRUSTED_PROXIES: 'nope'"):
        parse_networks("10.0.0.1, nope")


def test_rate_limit_per_client() -> None:
    limit = rate_limit("2/minute")
    assert limit is not None
    assert limit.allow("a") is None and limit.allow("a") is None
    wait = limit.allow("a")
    assert wait is not None and 1 <= wait <= 60
    assert limit.allow("b") is None
    assert rate_limit("0") is None and rate_limit("") is None
    with pytest.raises(ValueError, match="DOTHI_API_EXECUTE_RATE"):
        rate_limit("often")


def test_body_bound() -> None:
    with pytest.raises(BodyTooLargeError):
        _bound_body({"CONTENT_LENGTH": "5000"}, 4096)
    chunked = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(b"x" * 5000)}
    with pytest.raises(BodyTooLargeError):
        _bound_body(chunked, 4096)
    small = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(b'{"inputs": {}}')}
    _bound_body(small, 4096)
    assert small["CONTENT_LENGTH"] == "14" and small["wsgi.input"].read() == b'{"inputs": {}}'


def _reader(test_url: URL, timeout_ms: int = 10_000) -> Engine:
    data = {
        "host": test_url.host,
        "port": test_url.port,
        "dbname": test_url.database,
        "user": test_url.username,
        "password": test_url.password,
    }
    # one pooled connection: the next cursor gets the very connection the budget lowered
    options = {"statement_timeout_ms": timeout_ms, "pool_size": 1, "max_overflow": 0}
    return engine_for(data, options, read_only=True)


def test_budget_spans_statements_and_is_restored(engine: Engine, test_url: URL) -> None:
    reader = _reader(test_url)
    t0 = time.monotonic()
    with (
        budget.request_budget(700, 10_000),
        pytest.raises(budget.BudgetExceededError) as caught,
        PooledCursor(reader) as cur,
    ):
        cur.execute("SELECT pg_sleep(0.4)")  # each statement is far under the 10 s timeout
        cur.execute("SELECT pg_sleep(0.4)")
    assert 0.6 < time.monotonic() - t0 < 2.0
    assert caught.value.http_status_code == 503
    assert "time budget of 0.7 s" in caught.value.message and "thời gian cho phép" in caught.value.message
    with PooledCursor(reader) as cur:  # outside a request: the connection's own timeout again
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone()[0] == "10s"
        cur.execute("SELECT pg_sleep(0.5)")
    with budget.request_budget(60_000, 10_000), PooledCursor(reader) as cur:
        cur.execute("SELECT pg_sleep(0.01)")  # plenty left: no statement is lowered
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone()[0] == "10s"


def test_statement_timeout_is_not_reported_as_budget(engine: Engine, test_url: URL) -> None:
    reader = _reader(test_url, 300)
    with (
        budget.request_budget(60_000, 300),
        pytest.raises(ProviderTimeoutError) as caught,
        PooledCursor(reader) as cur,
    ):
        cur.execute("SELECT pg_sleep(1)")
    assert not isinstance(caught.value, budget.BudgetExceededError)
