"""One pooled engine per process for the API plugins (pygeoapi builds a provider per request)."""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy.engine import URL, Engine

from gis.engine import PoolOptions, create_engine

_ENGINES: dict[tuple[str, int, int, bool], Engine] = {}

#: Settings of every API connection.  The API runs many short, index-driven statements: starting
#: parallel workers (each of which also loads PROJ again for ``ST_Transform``) costs more than it
#: gains, and so does JIT-compiling a statement that runs for milliseconds (measured on 1,000,000
#: buildings: a z16 vector tile 25 → 11 ms, z14 287 → 187 ms; see bench/RESULTS.md).
API_SERVER_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0"}
READ_ONLY = {"default_transaction_read_only": "on"}
_LOCK = threading.Lock()
_READ_ONLY: weakref.WeakSet[Engine] = weakref.WeakSet()
#: A pooled read-only connection unused for longer than this is tested before use (gis.engine).
PING_IDLE_S = 5.0


def engine_for(data: dict[str, Any], options: dict[str, Any] | None, *, read_only: bool = False) -> Engine:
    """The process-wide engine for a provider's ``data`` block (created on first use).

    ``options`` may set ``statement_timeout_ms`` (from ``DOTHI_API_STATEMENT_TIMEOUT_MS``) and
    ``pool_size`` / ``max_overflow``.  ``read_only`` engines (the feature, tile and records
    providers) run each statement in its own read-only transaction: no BEGIN/ROLLBACK round trips,
    and the server refuses any write.
    """
    options = options or {}
    url = URL.create(
        "postgresql+psycopg2",
        username=data.get("user"),
        password=data.get("password"),
        host=data.get("host"),
        port=int(data.get("port", 5432)),
        database=data.get("dbname"),
    )
    if read_only and data.get("replicas"):
        url = with_replicas(url, list(data["replicas"]))
    timeout = int(options.get("statement_timeout_ms", 15000))
    size = int(options.get("pool_size", 4))
    key = (url.render_as_string(hide_password=False), timeout, size, read_only)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            pool = PoolOptions(
                size=size,
                max_overflow=int(options.get("max_overflow", 4)),
                timeout_s=15,
                # read-only engines are autocommit: ping only connections idle for a while
                ping_idle_s=PING_IDLE_S if read_only else None,
            )
            engine = create_engine(
                url,
                pool=pool,
                statement_timeout_ms=timeout,
                application_name="dothi-api",
                server_settings=API_SERVER_SETTINGS | (READ_ONLY if read_only else {}),
                autocommit=read_only,
            )
            _ENGINES[key] = engine
            if read_only:
                _READ_ONLY.add(engine)
    return engine


def is_read_only(engine: Engine) -> bool:
    """Whether ``engine`` is one of the read-only (autocommit) API engines."""
    return engine in _READ_ONLY


def with_replicas(url: URL, replicas: list[str]) -> URL:
    """The URL that reaches a streaming replica (chosen at random) and the primary only when no
    replica answers: libpq's multi-host connection with ``target_session_attrs=prefer-standby``.

    Each new pooled connection makes that choice again, so a replica that goes away stops being
    used as soon as its connections are replaced (:mod:`api_config.providers.failover`).
    """
    primary = f"{url.host}:{url.port or 5432}"
    return url.set(host=None, port=None).update_query_dict(
        {
            "host": [*replicas, primary],
            "target_session_attrs": "prefer-standby",
            "load_balance_hosts": "random",
        }
    )


def dispose_all() -> None:
    """Forget inherited pooled connections (in a forked child) without closing the parent's."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose(close=False)
