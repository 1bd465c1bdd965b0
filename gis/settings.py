"""Settings, split by concern, read from ``DOTHI_*`` environment variables.

Settings objects are built by the CLI or the app factory and passed down; nothing here is created at
import time.

=========================== ====================================================================
variable                    meaning
=========================== ====================================================================
``DOTHI_DATABASE_URL``      use this PostgreSQL/PostGIS server instead of the embedded cluster; its
                            role owns the schema (migrations, loads, the CLI's indicator runs)
``DOTHI_READER_URL``        with ``DOTHI_DATABASE_URL``: the login the API reads published data as (a
                            member of ``dothi_reader``; ``dothi db roles`` creates it)
``DOTHI_ANALYST_URL``       with ``DOTHI_DATABASE_URL``: the login of processes and jobs (a member of
                            ``dothi_analyst``); the embedded cluster makes both logins itself
``DOTHI_DATA_DIR``          folder for the embedded cluster, generated config, rasters (``.data``)
``DOTHI_DB_NAME``           database name in the embedded cluster (``dothi``)
``DOTHI_DB_PORT``           preferred loopback port for the embedded cluster (``55432``)
``DOTHI_DB_POOL_SIZE``      connections kept in the pool (``5``); also ``..._MAX_OVERFLOW``,
                            ``..._POOL_RECYCLE_S``, ``..._POOL_TIMEOUT_S``
``DOTHI_API_HOST``          address ``dothi serve`` binds to (``127.0.0.1``)
``DOTHI_API_PORT``          port ``dothi serve`` binds to (``5000``)
``DOTHI_API_SERVER``        HTTP server of ``dothi serve``: ``granian`` (default) or ``gunicorn``
``DOTHI_API_WORKERS``       server worker processes (``2``)
``DOTHI_API_THREADS``       request threads per worker (``4``)
``DOTHI_API_ACCESS_LOG``    one line per request on stdout, written by the app (``true``);
                            ``false`` behind a reverse proxy that logs requests itself
``DOTHI_API_STATEMENT_TIMEOUT_MS`` statement timeout of API database connections (``15000``)
``DOTHI_API_REQUEST_BUDGET_MS`` time budget of one request's database work (``20000``); beyond: 503
``DOTHI_API_MAX_JOBS``      process jobs running at once, over all workers (``1``)
``DOTHI_API_JOB_QUEUE``     jobs waiting for a free slot (``8``); one more: 429 with ``Retry-After``
``DOTHI_API_MAX_BODY_BYTES`` largest request body (``1048576``); larger: 413
``DOTHI_API_EXECUTE_RATE``  process executions per client and worker (``10/minute``, ``limits``
                            notation; ``0`` or empty: no rate limit)
``DOTHI_API_TRUSTED_PROXIES`` comma-separated addresses/networks of reverse proxies whose
                            ``X-Forwarded-For`` names the client and whose identity headers are
                            believed (none by default)
``DOTHI_API_PUBLIC_URL``    URL the API advertises in its links (default ``http://HOST:PORT``)
``DOTHI_API_CORS_ORIGINS``  origins that may read cross-origin (GET, HEAD): ``*`` (default),
                            comma-separated origins, or empty for none
``DOTHI_API_CORS_WRITE_ORIGINS`` origins that may also POST/PUT/PATCH/DELETE cross-origin
                            (process execution, jobs); none by default
``DOTHI_API_TRUSTED_USER_HEADER`` header naming the user authenticated by the trusted proxy
                            (e.g. ``X-Forwarded-User``); unset: API keys only
``DOTHI_API_TRUSTED_ROLE_HEADER`` header carrying that user's role, ``planner`` or ``analyst``
                            (``planner`` when unset or absent)
``DOTHI_API_BASEMAP_URL``   XYZ basemap of the HTML pages' maps (default: none, no third party)
=========================== ====================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def project_root() -> Path:
    """The source checkout dothi runs from (the folder holding ``pyproject.toml``).

    Falls back to the current directory for an installed (non-editable) copy.
    """
    here = Path(__file__).resolve().parents[1]
    if (here / "pyproject.toml").is_file():
        return here
    return Path.cwd()


def _default_data_dir() -> Path:
    return project_root() / ".data"


class DatabaseSettings(BaseSettings):
    """Where the database is and how connections are pooled."""

    model_config = SettingsConfigDict(env_prefix="DOTHI_", extra="ignore")

    database_url: str | None = Field(
        default=None, description="External server URL; when unset the embedded cluster is used."
    )
    reader_url: str | None = Field(
        default=None, description="External server: the API's read-only login (member of dothi_reader)."
    )
    analyst_url: str | None = Field(
        default=None, description="External server: the processes' and jobs' login (member of dothi_analyst)."
    )
    database_read_urls: str | None = Field(
        default=None,
        description=(
            "PostgreSQL streaming replicas the API's read paths use, comma-separated URLs "
            "(only host and port are taken: a physical replica has the primary's logins)."
        ),
    )
    data_dir: Path = Field(default_factory=_default_data_dir)
    db_name: str = "dothi"
    db_port: int = Field(default=55432, ge=1024, le=65535)
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=5, ge=0)
    db_pool_recycle_s: int = Field(default=1800, ge=-1)
    db_pool_timeout_s: int = Field(default=30, ge=1)

    @property
    def external(self) -> bool:
        """True when ``DOTHI_DATABASE_URL`` points at a server dothi does not manage."""
        return bool(self.database_url)

    @property
    def cluster_dir(self) -> Path:
        return self.data_dir / "postgres"


class ApiSettings(BaseSettings):
    """How ``dothi serve`` publishes the OGC API."""

    model_config = SettingsConfigDict(env_prefix="DOTHI_API_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=5000, ge=1, le=65535)
    #: HTTP server (api_config.servers): granian, or gunicorn with gthread workers.
    server: Literal["granian", "gunicorn"] = "granian"
    workers: int = Field(default=2, ge=1)
    threads: int = Field(default=4, ge=1)
    #: One line per request on stdout, written by the app (api_config.guard.accesslog).
    access_log: bool = True
    statement_timeout_ms: int = Field(default=15000, ge=100)
    #: Wall-clock budget of one request's database statements (ms); see api_config.limits.budget.
    request_budget_ms: int = Field(default=20000, ge=100)
    #: Process jobs running at once (over all web workers) and jobs waiting for a slot.
    max_jobs: int = Field(default=1, ge=1)
    job_queue: int = Field(default=8, ge=0)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    #: Process executions per client and web worker, e.g. ``10/minute``; ``0`` or empty disables.
    execute_rate: str = "10/minute"
    #: Planning look-ups and place searches (``/lookup``, ``/search``) per client and web worker.
    lookup_rate: str = "120/minute"
    #: Reverse proxies (addresses or networks, comma-separated) trusted for X-Forwarded-For and
    #: for the identity headers below (api_config.limits.clients, api_config.security.auth).
    trusted_proxies: str = ""
    #: Vector-tile cache per web worker (MB); 0 disables it.
    tile_cache_mb: float = Field(default=64, ge=0)
    public_url: str | None = None
    default_language: str = "vi"
    #: CORS (api_config.security.cors): comma-separated origins, ``*`` for any.
    cors_origins: str = "*"
    cors_write_origins: str = ""
    #: Identity from a trusted reverse proxy (api_config.security.auth).
    trusted_user_header: str | None = None
    trusted_role_header: str | None = None
    #: Basemap of pygeoapi's HTML maps (an XYZ URL template); empty: dothi's own data only, no
    #: request to a third party.  Its origin is added to the pages' Content-Security-Policy.
    basemap_url: str = ""
    basemap_attribution: str = ""

    @property
    def url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
