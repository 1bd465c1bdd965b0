"""Lifecycle of a real embedded cluster in its own folder (not the demo's)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gis.cluster import EmbeddedCluster, State, port_is_free
from gis.engine import create_engine, ensure_database
from gis.errors import ClusterError

#: these tests start clusters of their own (not the shared test database): the db tier
pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cluster() -> Iterator[EmbeddedCluster]:
    folder = ROOT / ".data" / f"test-cluster-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    c = EmbeddedCluster(folder, preferred_port=56432)
    yield c
    c.destroy()
    shutil.rmtree(folder, ignore_errors=True)


def _select_one(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT 1")).scalar_one())
    finally:
        engine.dispose()


def test_lifecycle_up_is_idempotent_and_status_tells_the_truth(cluster: EmbeddedCluster) -> None:
    assert cluster.status().state is State.NOT_INITIALISED
    st = cluster.up()
    assert st.state is State.RUNNING and st.port is not None
    pid = st.pid
    assert not port_is_free(st.port)
    assert cluster.up().pid == pid  # second up changes nothing
    ensure_database(sa.engine.make_url(cluster.url()))
    assert _select_one(cluster.url()) == 1
    # the cluster listens on loopback only and requires the generated password
    bad = sa.engine.make_url(cluster.url()).set(password="wrong")
    with pytest.raises(sa.exc.OperationalError):
        _select_one(bad.render_as_string(hide_password=False))
    assert cluster.stop() is True
    assert cluster.status().state is State.STOPPED
    assert cluster.stop() is False
    assert cluster.up().state is State.RUNNING


def test_extensions_are_installed(cluster: EmbeddedCluster) -> None:
    cluster.up()
    url = sa.engine.make_url(cluster.url())
    ensure_database(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        names = set(conn.execute(sa.text("SELECT extname FROM pg_extension")).scalars())
    engine.dispose()
    assert {"postgis", "postgis_raster", "pgrouting"} <= names


def test_up_survives_a_crash_with_a_stale_pid_file(cluster: EmbeddedCluster) -> None:
    st = cluster.up()
    assert st.pid is not None
    os.kill(st.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while cluster.status().state is State.RUNNING and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (cluster.pgdata / "postmaster.pid").exists()  # stale
    assert cluster.status().state is State.STOPPED
    assert cluster.up().state is State.RUNNING
    assert _select_one(cluster.url("postgres")) == 1


def test_moves_to_another_port_when_its_port_is_taken(cluster: EmbeddedCluster) -> None:
    import socket

    first = cluster.up().port
    assert first is not None
    cluster.stop()
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", first))
        squatter.listen()
        second = cluster.up().port
    assert second != first
    assert _select_one(cluster.url("postgres")) == 1


def test_missing_binaries_give_the_install_command(tmp_path: Path) -> None:
    c = EmbeddedCluster(tmp_path / "d", bin_candidates=[tmp_path / "nowhere"])
    with pytest.raises(ClusterError, match="apt-get install"):
        c.up()
    assert c.status().state is State.NOT_INITIALISED


def test_url_before_creation_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="dothi db up"):
        EmbeddedCluster(tmp_path / "never").url()
