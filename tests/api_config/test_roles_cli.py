"""`dothi db roles` and `dothi serve` on an external server (DOTHI_DATABASE_URL)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from gis.cluster import EmbeddedCluster
from gis.engine import create_engine

ROOT = Path(__file__).resolve().parents[2]


def _run(cli: list[str], *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cli, *args], capture_output=True, text=True, timeout=300, env=env)


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOTHI_")}
    return env | values


def test_serve_refuses_an_external_server_without_login_urls(dothi_cli: list[str], test_url: URL) -> None:
    owner = test_url.render_as_string(hide_password=False)
    out = _run(dothi_cli, "serve", env=_env(DOTHI_DATABASE_URL=owner, DOTHI_API_PORT="5999"))
    assert out.returncode == 2, out.stderr
    assert "Với DOTHI_DATABASE_URL" in out.stderr and "DOTHI_READER_URL, DOTHI_ANALYST_URL" in out.stderr
    assert "dothi db roles" in out.stderr and "CREATE ROLE dothi_reader NOLOGIN" in out.stderr


@pytest.fixture
def other_server() -> Iterator[URL]:
    """A second embedded cluster standing in for an external server (its superuser's URL)."""
    folder = ROOT / ".data" / f"test-external-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    cluster = EmbeddedCluster(folder, preferred_port=56632)
    cluster.init()
    cluster.start()  # no `up`: no API logins there yet
    yield make_url(cluster.url("postgres"))
    cluster.destroy()
    shutil.rmtree(folder, ignore_errors=True)


def test_db_roles_creates_the_logins_on_an_external_server(dothi_cli: list[str], other_server: URL) -> None:
    admin = other_server.render_as_string(hide_password=False)
    out = _run(dothi_cli, "--json", "db", "roles", env=_env(DOTHI_DATABASE_URL=admin))
    assert out.returncode == 0, out.stderr
    urls = json.loads(out.stdout)
    assert set(urls) == {"DOTHI_READER_URL", "DOTHI_ANALYST_URL"}
    for name, login in (("DOTHI_READER_URL", "dothi_api"), ("DOTHI_ANALYST_URL", "dothi_jobs")):
        url = make_url(urls[name])
        assert url.username == login and url.password and url.password != other_server.password
        engine = create_engine(url.set(drivername="postgresql+psycopg2"))
        try:
            with engine.connect() as conn:
                assert (
                    conn.execute(
                        sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                    ).scalar()
                    is False
                )
        finally:
            engine.dispose()
    # a role that may not create roles is told what to run instead
    reader = urls["DOTHI_READER_URL"]
    refused = _run(dothi_cli, "db", "roles", env=_env(DOTHI_DATABASE_URL=reader))
    assert refused.returncode == 2
    assert "may not create roles" in refused.stderr and "CREATE ROLE dothi_api LOGIN" in refused.stderr
