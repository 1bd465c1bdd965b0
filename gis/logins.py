"""The URLs the API connects with: the reader and analyst logins (:mod:`gis.roles`), never the owner.

The embedded cluster keeps the logins' passwords in its state file; an external server names them
in ``DOTHI_READER_URL`` and ``DOTHI_ANALYST_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import psycopg2
from sqlalchemy.engine import URL, make_url

from gis import roles
from gis.cluster import EmbeddedCluster
from gis.errors import ConfigError, DatabaseUnavailableError
from gis.settings import DatabaseSettings
from gis.sqlfiles import load_sql

MISSING = (
    "Với DOTHI_DATABASE_URL, API cần hai vai trò đăng nhập riêng (không phải chủ sở hữu): hãy đặt "
    "DOTHI_READER_URL và DOTHI_ANALYST_URL. / "
    "With DOTHI_DATABASE_URL the API needs its own two logins (never the owner role): set "
    "DOTHI_READER_URL and DOTHI_ANALYST_URL (missing: {missing})."
)
HINT = (
    "As an administrator (CREATEROLE) run `dothi db roles`, which creates them with generated "
    "passwords and prints both URLs; or run this SQL, then `dothi db migrate`: " + roles.EXTERNAL_SQL
)


@dataclass(frozen=True)
class ApiLogins:
    """Where the API's read paths (``reader``) and its processes and jobs (``analyst``) connect."""

    reader: URL
    analyst: URL
    #: ``host:port`` of streaming replicas the reader may use instead of the primary
    #: (``DOTHI_DATABASE_READ_URLS``); the analyst (processes, jobs) always uses the primary.
    replicas: tuple[str, ...] = ()


def api_logins(settings: DatabaseSettings, owner: URL) -> ApiLogins:
    """The API's logins to the database of ``owner`` (the URL migrations and loads use)."""
    logins = _external(settings) if settings.external else _embedded(settings, owner)
    return replace(logins, replicas=read_replicas(settings))


def read_replicas(settings: DatabaseSettings) -> tuple[str, ...]:
    """``host:port`` of each URL in ``DOTHI_DATABASE_READ_URLS`` (a clear error for a bad one)."""
    found = []
    for number, text in enumerate((settings.database_read_urls or "").split(","), start=1):
        if not text.strip():
            continue
        try:
            url = make_url(text.strip())
        except Exception as exc:
            raise ConfigError(
                f"DOTHI_DATABASE_READ_URLS, URL {number} không hợp lệ / is not a valid database URL: {exc}",
                hint="Use comma-separated URLs of the form postgresql://host:5432/dbname",
            ) from exc
        if url.get_backend_name() != "postgresql" or not url.host:
            raise ConfigError(
                f"DOTHI_DATABASE_READ_URLS, URL {number}: cần máy chủ PostgreSQL / needs a PostgreSQL "
                f"host (got {url.render_as_string(hide_password=True)!r}).",
                hint="Use comma-separated URLs of the form postgresql://host:5432/dbname",
            )
        found.append(f"{url.host}:{url.port or 5432}")
    return tuple(found)


def _embedded(settings: DatabaseSettings, owner: URL) -> ApiLogins:
    cluster = EmbeddedCluster(settings.data_dir, db_name=settings.db_name)
    # the owner's server address (normally the cluster's; a relay or pooler in front of it, too)
    reader, analyst = (
        make_url(cluster.url(owner.database, login=login)).set(host=owner.host, port=owner.port)
        for login in (roles.API_LOGIN, roles.JOBS_LOGIN)
    )
    return ApiLogins(reader=reader, analyst=analyst)


def _external(settings: DatabaseSettings) -> ApiLogins:
    named = {"DOTHI_READER_URL": settings.reader_url, "DOTHI_ANALYST_URL": settings.analyst_url}
    missing = [name for name, value in named.items() if not value]
    if missing:
        raise ConfigError(MISSING.format(missing=", ".join(missing)), hint=HINT)
    urls = []
    for name, value in named.items():
        try:
            url = make_url(str(value)).set(drivername="postgresql+psycopg2")
        except Exception as exc:
            raise ConfigError(
                f"{name} không hợp lệ / is not a valid database URL: {exc}",
                hint="Use the form postgresql://user:password@host:5432/dbname",
            ) from exc
        urls.append(url)
    return ApiLogins(reader=urls[0], analyst=urls[1])


def check_logins(logins: ApiLogins) -> None:
    """Refuse logins that cannot connect, have an administrative attribute, or lack their group."""
    for name, url, group in (
        ("DOTHI_READER_URL", logins.reader, roles.READER),
        ("DOTHI_ANALYST_URL", logins.analyst, roles.ANALYST),
    ):
        where = f"{url.username}@{url.host}:{url.port or 5432}/{url.database} ({name})"
        privileged, member = _login_facts(url, group, where)
        if privileged:
            raise ConfigError(
                f"Vai trò {where} có quyền quản trị: API không được dùng nó. / "
                f"The login {where} has an administrative attribute (superuser, createrole, createdb, "
                "replication or bypassrls): the API must not connect with it.",
                hint=f"Use a login that is only a member of {group}: {roles.EXTERNAL_SQL}",
            )
        if not member:
            raise ConfigError(
                f"Vai trò {where} không thuộc {group}. / The login {where} is not a member of {group}.",
                hint=f"Run `dothi db migrate` (creates the groups), then: GRANT {group} TO {url.username};",
            )


def _login_facts(url: URL, group: str, where: str) -> tuple[bool, bool]:
    try:
        conn = psycopg2.connect(
            host=url.host,
            port=url.port or 5432,
            dbname=url.database,
            user=url.username,
            password=url.password,
            connect_timeout=10,
        )
    except psycopg2.OperationalError as exc:
        raise DatabaseUnavailableError(
            f"Không kết nối được / cannot connect as {where}: {str(exc).strip()}",
            hint="Check the login's URL and password; for the embedded database run `dothi db up`.",
        ) from exc
    try:
        with conn.cursor() as cur:
            cur.execute(load_sql("gis", "login_check"), {"group": group})
            privileged, member = cur.fetchone()
    finally:
        conn.close()
    return bool(privileged), bool(member)


def create_external_logins(owner: URL) -> ApiLogins:
    """Create (or reset) the group and login roles on an external server, with new passwords.

    ``owner`` must be a role that may create roles.  Returns the two logins' URLs (same server and
    database as ``owner``) to put in ``DOTHI_READER_URL`` and ``DOTHI_ANALYST_URL``.
    """
    passwords = roles.new_passwords({})
    conn = psycopg2.connect(
        host=owner.host,
        port=owner.port or 5432,
        dbname=owner.database,
        user=owner.username,
        password=owner.password,
        connect_timeout=10,
    )
    try:
        with conn.cursor() as cur:
            cur.execute(load_sql("gis", "may_create_roles"))
            if not cur.fetchone()[0]:
                raise ConfigError(
                    f"Vai trò {owner.username!r} không được tạo vai trò. / "
                    f"The role {owner.username!r} (DOTHI_DATABASE_URL) may not create roles.",
                    hint=f"Run this as an administrator instead: {roles.EXTERNAL_SQL}",
                )
        roles.ensure_logins(conn, passwords)
    finally:
        conn.close()
    reader, analyst = (
        owner.set(drivername="postgresql", username=login, password=passwords[login])
        for login in (roles.API_LOGIN, roles.JOBS_LOGIN)
    )
    return ApiLogins(reader=reader, analyst=analyst)
