"""The one engine factory, and database bootstrap (database + extensions).

Every pool option is explicit.  API connections get a ``statement_timeout`` so an abandoned query
cannot run for minutes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from gis.cluster import EXTENSIONS, EmbeddedCluster
from gis.errors import ConfigError, DatabaseUnavailableError
from gis.extensions import REQUIRED, ensure_extensions
from gis.settings import DatabaseSettings


@dataclass(frozen=True)
class PoolOptions:
    size: int = 5
    max_overflow: int = 5
    recycle_s: int = 1800
    timeout_s: int = 30
    pre_ping: bool = True
    #: Instead of a ``SELECT 1`` on every checkout (``pre_ping``), ping only a connection that sat
    #: unused in the pool longer than this many seconds.  A busy server reuses its connections
    #: within milliseconds and pays no round trip (the pre-ping was 17 % of a single-feature
    #: request); a connection that waited through a database restart is still tested, discarded
    #: and replaced before use.  Only for autocommit engines (the ping must not open a transaction).
    ping_idle_s: float | None = None

    @classmethod
    def from_settings(cls, settings: DatabaseSettings) -> PoolOptions:
        return cls(
            size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            recycle_s=settings.db_pool_recycle_s,
            timeout_s=settings.db_pool_timeout_s,
        )


def database_url(settings: DatabaseSettings, *, db_name: str | None = None) -> URL:
    """The URL of dothi's database: ``DOTHI_DATABASE_URL`` or the embedded cluster's."""
    if settings.database_url:
        try:
            url = make_url(settings.database_url)
        except Exception as exc:
            raise ConfigError(
                f"DOTHI_DATABASE_URL is not a valid database URL: {exc}",
                hint="Use the form postgresql://user:password@host:5432/dbname",
            ) from exc
        if url.get_backend_name() != "postgresql":
            raise ConfigError(
                f"DOTHI_DATABASE_URL must point at PostgreSQL/PostGIS, not {url.get_backend_name()!r}."
            )
        url = url.set(drivername="postgresql+psycopg2")
    else:
        cluster = EmbeddedCluster(settings.data_dir, db_name=settings.db_name)
        url = make_url(cluster.url())
    if db_name:
        url = url.set(database=db_name)
    return url


def create_engine(
    url: URL | str,
    *,
    pool: PoolOptions | None = None,
    statement_timeout_ms: int | None = None,
    application_name: str = "dothi",
    server_settings: Mapping[str, str] | None = None,
    autocommit: bool = False,
) -> Engine:
    """Create a SQLAlchemy engine with explicit pool settings.

    Parameters
    ----------
    url:
        Database URL (``postgresql+psycopg2://…``).
    pool:
        Pool size, overflow, recycle time, checkout timeout and pre-ping.
    statement_timeout_ms:
        Server-side ``statement_timeout`` for every connection; ``None`` for batch work.
    application_name:
        Shown in ``pg_stat_activity``.
    server_settings:
        Further per-connection server settings (``name → value``), e.g. ``{"jit": "off"}``.
    autocommit:
        Every statement its own transaction (no BEGIN/ROLLBACK round trips) — for read-only work.
    """
    pool = pool or PoolOptions()
    options = f"-c application_name={application_name} -c timezone=UTC"
    if statement_timeout_ms is not None:
        options += f" -c statement_timeout={int(statement_timeout_ms)}"
    for name, value in (server_settings or {}).items():
        if not name.replace("_", "").replace(".", "").isalnum() or not str(value).replace("_", "").isalnum():
            raise ValueError(f"server setting {name}={value!r}: only letters, digits and _ are allowed")
        options += f" -c {name}={value}"
    # autocommit: no transaction is ever open when a connection returns, so the pool's rollback
    # on return is skipped (≈ 10 µs a check-in on the API's read paths)
    extra: dict[str, Any] = (
        {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None} if autocommit else {}
    )
    if pool.ping_idle_s is not None and not autocommit:
        raise ValueError("ping_idle_s is for autocommit engines: the ping would open a transaction")
    engine = sa.create_engine(
        url,
        **extra,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_recycle=pool.recycle_s,
        pool_timeout=pool.timeout_s,
        pool_pre_ping=pool.pre_ping and pool.ping_idle_s is None,
        connect_args={"options": options, "connect_timeout": 10},
    )
    if pool.ping_idle_s is not None:
        _ping_when_idle(engine, pool.ping_idle_s)
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Test a pooled connection on checkout only when it was idle longer than ``idle_s``; a failed
    test makes the pool discard it and connect again (SQLAlchemy's DisconnectionError protocol)."""

    @sa.event.listens_for(engine, "checkin")
    def _checked_in(_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since <= idle_s:
            return
        try:
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT 1")
        except Exception as exc:  # any failure of the ping: this connection is gone
            raise sa.exc.DisconnectionError(str(exc)) from exc


def check_connection(engine: Engine) -> None:
    """Fail with a clear error when the server is unreachable."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(
            f"Cannot connect to the database at {where}: {exc.orig}",
            hint="Start the embedded database with `dothi db up`, or check DOTHI_DATABASE_URL.",
        ) from exc


def ensure_database(url: URL, *, extensions: tuple[str, ...] = EXTENSIONS) -> bool:
    """Create the database named in ``url`` if missing and install the extensions.

    PostGIS is required (:mod:`gis.extensions`); the other ``extensions`` are created when the role
    may (always in the embedded cluster).

    Returns True when the database was created.
    """
    admin = create_engine(url.set(database="postgres"), pool=PoolOptions(size=1, max_overflow=0))
    created = False
    try:
        check_connection(admin)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).scalar()
            if not exists:
                ident = conn.dialect.identifier_preparer.quote(str(url.database))
                conn.execute(sa.text(f"CREATE DATABASE {ident} ENCODING 'UTF8' TEMPLATE template0"))
                created = True
    finally:
        admin.dispose()
    engine = create_engine(url, pool=PoolOptions(size=1, max_overflow=0))
    try:  # what the schema needs, or a clear error naming it; the rest when the role may
        required = [e for e in extensions if e in REQUIRED]
        ensure_extensions(engine, required, optional=[e for e in extensions if e not in REQUIRED])
    finally:
        engine.dispose()
    return created


def drop_database(url: URL) -> None:
    """Drop the database named in ``url`` (used for throw-away test databases)."""
    admin = create_engine(url.set(database="postgres"), pool=PoolOptions(size=1, max_overflow=0))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            ident = conn.dialect.identifier_preparer.quote(str(url.database))
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {ident} WITH (FORCE)"))
    finally:
        admin.dispose()
