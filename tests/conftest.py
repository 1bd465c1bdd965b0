"""Shared fixtures: the real embedded PostGIS (or DOTHI_DATABASE_URL) with a separate test database.

The demo database is never touched: tests use ``<db>_test``, dropped and re-created per session.
A skipped test fails the run (a database test that silently skips is a failure, not a pass).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import URL, Engine

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from analysis.runner import run_all
from api_config import server, servers
from gis import migrate
from gis.cluster import EmbeddedCluster
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.logins import api_logins
from gis.settings import ApiSettings, DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS
from layers.sources import mytho
from layers.synthetic.generate import generate_and_load
from tests.api_config import jobworkers

VERSION_DIRS = (LAYER_VERSIONS, ANALYSIS_VERSIONS)
DEMO_SEED = 2019
ROOT = Path(__file__).resolve().parents[1]


#: The tiers (``make test-fast`` runs only ``pure``): a test's tier follows from what it uses.
TIERS = ("pure", "db", "http", "browser")
_BROWSER_FIXTURES = {"browser", "page", "chromium"}


def _tier(item: pytest.Item) -> str:
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & _BROWSER_FIXTURES or "sync_playwright" in vars(getattr(item, "module", None) or object):
        return "browser"
    if any(name.endswith("server") for name in fixtures):
        return "http"
    if "db_settings" in fixtures:
        return "db"
    return "pure"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test its tier unless its module declared one (``pytestmark = pytest.mark.db``)."""
    for item in items:
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker(getattr(pytest.mark, _tier(item)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) were skipped; skips are failures here.")
        session.exitstatus = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def db_settings() -> DatabaseSettings:
    settings = DatabaseSettings()
    if not settings.external:
        EmbeddedCluster(settings.data_dir, db_name=settings.db_name).up()
    return settings


@pytest.fixture(scope="session")
def test_url(db_settings: DatabaseSettings) -> Iterator[URL]:
    """A fresh, migrated test database (never the demo database)."""
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_test")
    drop_database(url)
    ensure_database(url)
    yield url


@pytest.fixture(scope="session")
def engine(test_url: URL) -> Iterator[Engine]:
    eng = create_engine(test_url)
    migrate.upgrade(eng, extra_version_dirs=VERSION_DIRS)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def loaded(engine: Engine) -> Engine:
    """The test database with the real Mỹ Tho admin units and the density indicator."""
    for bundle in mytho.admin_unit_bundles():
        load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    run_all(engine)
    return engine


#: API keys created on the test database: name -> role.
KEY_ROLES = {"alice": "planner", "bob": "planner", "ana": "analyst"}


def bearer(token: str) -> dict[str, str]:
    """The ``Authorization`` header of an API key."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def api_keys(loaded: Engine) -> dict[str, str]:
    """Tokens of API keys on the test database: planners ``alice`` and ``bob``, analyst ``ana``."""
    from api_config.security.keys import create_key

    return {name: create_key(loaded, name, role)[1] for name, role in KEY_ROLES.items()}


def wait_until_serving(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    """Wait (at most 2 min) until the server at ``base`` answers; kill it and fail otherwise."""
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{base}/conformance?f=json", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"API server did not start; see {log_path}")
        time.sleep(0.3)


def _serve(engine: Engine, url: URL, folder: Path, log_path: Path) -> Iterator[str]:
    """Run `dothi serve`'s server (``DOTHI_API_SERVER``) + pygeoapi on a free loopback port until the
    caller is done."""
    port = free_port()
    api = ApiSettings(port=port, workers=2)
    logins = api_logins(DatabaseSettings(), url)  # the API's own roles, as `dothi serve` does
    files = server.generate(engine, logins, api, folder)
    log = log_path.open("w")
    env = servers.worker_env(server.server_env(files, logins), api.server)
    proc = subprocess.Popen(servers.command(api), env=env, stdout=log, stderr=log)
    base = api.url
    wait_until_serving(base, proc, log_path)
    with jobworkers.running(env, log_path.with_suffix(".worker.log")):  # as `dothi serve` does
        yield base
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def api_server(loaded: Engine, test_url: URL, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dothi serve` on the test database (real Mỹ Tho admin units + density)."""
    yield from _serve(
        loaded, test_url, tmp_path_factory.mktemp("api"), tmp_path_factory.getbasetemp() / "gunicorn.log"
    )


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Data folder (rasters) of the demo test database."""
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture(scope="session")
def demo_url(db_settings: DatabaseSettings, demo_data_dir: Path) -> Iterator[URL]:
    """A separate database holding the whole demo: real + synthetic data and every indicator."""
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_demo_test")
    drop_database(url)
    ensure_database(url)
    eng = create_engine(url)
    migrate.upgrade(eng, extra_version_dirs=VERSION_DIRS)
    mytho.load_bundles(eng)  # admin units 2019 and 2025, census series 2009 and 2019
    generate_and_load(eng, demo_data_dir, seed=DEMO_SEED)
    run_all(eng, data_dir=demo_data_dir)  # the demo's defaults: every indicator computes
    eng.dispose()
    yield url


@pytest.fixture(scope="session")
def demo_api_server(
    demo_url: URL, demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`dothi serve` on the full demo database."""
    eng = create_engine(demo_url)
    yield from _serve(eng, demo_url, demo_data_dir, tmp_path_factory.getbasetemp() / "gunicorn-demo.log")
    eng.dispose()


@pytest.fixture(scope="session")
def demo_api_key(demo_url: URL) -> str:
    """An analyst API key on the demo test database."""
    from api_config.security.keys import create_key

    eng = create_engine(demo_url)
    token = create_key(eng, "notebooks", "analyst")[1]
    eng.dispose()
    return token


@pytest.fixture(scope="session")
def dothi_cli() -> list[str]:
    return [sys.executable, "-m", "api_config.cli"]


@pytest.fixture
def scratch_url(db_settings: DatabaseSettings, request: pytest.FixtureRequest) -> Iterator[URL]:
    """An empty throw-away database with extensions but no schema."""
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_scratch_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    yield url
    drop_database(url)
