"""A dothi API server with small limits on its own database, for the bounded-work tests.

The database holds the real Mỹ Tho admin units, the population density indicator and 60,000
synthetic building footprints of 257 vertices each: a ``S_TOUCHES`` filter against a ring around
the city cannot use the spatial index and costs tens of microseconds a row, so its two
statements (exact count below 100,000 rows, then the page) are each well under the statement
timeout and together over the request budget.  Budget and statement timeout are set from the
statement's duration measured on this machine, so the test holds on a slow or a fast machine.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import URL, Engine

from analysis.registry import get_indicator
from analysis.runner import run_indicator
from api_config import server
from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.logins import api_logins
from gis.settings import ApiSettings, DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.sources import mytho
from tests.api_config import jobworkers
from tests.api_config.sleep_process import process_resource
from tests.conftest import ROOT, VERSION_DIRS, free_port, wait_until_serving

ROWS = 60_000
SLOW_ROWS_SQL = Path(__file__).with_name("slow_buildings.sql")
RING = (
    "POLYGON((106.0 10.0, 107.0 10.0, 107.0 11.0, 106.0 11.0, 106.0 10.0),"
    "(106.1 10.1, 106.1 10.9, 106.9 10.9, 106.9 10.1, 106.1 10.1))"
)
#: The slow filter (CQL2 text): no building touches the ring.
SLOW_FILTER = f"S_TOUCHES(geom, {RING})"
SLEEP, SLEEP_2 = "sleep-test", "sleep-test-2"
TRUSTED_PROXY = "127.0.0.1"


#: The limits server's database and the API key of each test client (created on first use).
_KEYS: dict[str, str] = {}
_ENGINE: list[Engine] = []


def headers(client: str, **extra: str) -> dict[str, str]:
    """Request headers of a test client: its own address through the trusted proxy and its own
    analyst API key (each test client has its own rate-limit bucket, and sees every job)."""
    if client not in _KEYS:
        from api_config.security.keys import create_key

        _KEYS[client] = create_key(_ENGINE[-1], f"client-{client}", "analyst")[1]
    return {"X-Forwarded-For": client, "Authorization": f"Bearer {_KEYS[client]}", **extra}


@dataclass(frozen=True)
class LimitsServer:
    base: str
    proc: subprocess.Popen[bytes]
    engine: Engine
    api: ApiSettings
    statement_ms: float  # the slow statement alone, measured
    env: dict[str, str]  # the web server's (and its job worker's) environment
    workers: list[subprocess.Popen[bytes]]  # the job workers (one; tests may replace it)
    worker_log: Path

    def restart_worker(self) -> subprocess.Popen[bytes]:
        """Stop the job workers (SIGTERM) and start one afresh."""
        while self.workers:
            jobworkers.stop(self.workers.pop())
        self.workers.append(jobworkers.start(self.env, self.worker_log))
        return self.workers[-1]


def prepare(url: URL) -> Engine:
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    for bundle in mytho.admin_unit_bundles():
        load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    run_indicator(engine, get_indicator("population_density"))
    with engine.begin() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(SLOW_ROWS_SQL.read_text(encoding="utf-8"), {"rows": ROWS})
    return engine


def measure_statement(engine: Engine) -> float:
    """Milliseconds of the slow filter's count on this machine (the fastest of three)."""
    times = []
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SET jit = off")
        for _ in range(3):
            t0 = time.perf_counter()
            cur.execute(
                "SELECT count(*) FROM land.buildings WHERE ST_Touches(geom, ST_GeomFromText(%s, 4326))",
                (RING,),
            )
            cur.fetchone()
            times.append((time.perf_counter() - t0) * 1000)
    return min(times)


@pytest.fixture(scope="session")
def limits_server(
    db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LimitsServer]:
    """The server with small limits (session: shared by the limit and job-queue tests)."""
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_limits_test")
    engine = prepare(url)
    folder = tmp_path_factory.mktemp("limits-api")
    yield from start(engine, url, folder, tmp_path_factory.getbasetemp() / "gunicorn-limits.log")
    engine.dispose()


def start(engine: Engine, url: URL, folder: Path, log: Path) -> Iterator[LimitsServer]:
    statement_ms = measure_statement(engine)
    api = ApiSettings(
        port=free_port(),
        workers=2,
        threads=4,
        # one slow statement fits in the budget, two do not; each is far under the timeout
        request_budget_ms=int(statement_ms * 1.25),
        statement_timeout_ms=int(statement_ms * 4),
        max_jobs=2,
        job_queue=2,
        max_body_bytes=4096,
        execute_rate="3/minute",
        trusted_proxies=TRUSTED_PROXY,
    )
    _ENGINE.append(engine)
    _KEYS.clear()
    logins = api_logins(DatabaseSettings(), url)  # the API's own roles, as `dothi serve` does
    files = server.generate(engine, logins, api, folder)
    config = yaml.safe_load(files.config.read_text(encoding="utf-8"))
    config["resources"][SLEEP] = process_resource(SLEEP)
    config["resources"][SLEEP_2] = process_resource(SLEEP_2)
    files.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    out = log.open("w")
    env = server.server_env(files, logins, api)
    # the sleeping process lives in tests/ (site-packages may hold another top-level "tests")
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen(server.gunicorn_command(api), env=env, stdout=out, stderr=out)
    base = api.url
    wait_until_serving(base, proc, log)
    worker_log = log.with_suffix(".worker.log")
    workers = [jobworkers.start(env, worker_log)]  # as `dothi serve` does
    yield LimitsServer(base, proc, engine, api, statement_ms, env, workers, worker_log)
    for worker in workers:
        jobworkers.stop(worker)
    proc.terminate()
    proc.wait(timeout=30)
    out.close()
