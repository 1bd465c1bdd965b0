"""Reads on a real streaming replica (DOTHI_DATABASE_READ_URLS): they reach it, follow the primary
after replay (vector tiles included), and fall back to the primary without a 5xx when it goes away.

The test makes its own small primary (an embedded cluster with the Mỹ Tho admin units) and a hot
standby of it with ``pg_basebackup -R`` on another loopback port.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mapbox_vector_tile
import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from api_config import server
from gis import migrate
from gis.cluster import EmbeddedCluster
from gis.engine import create_engine, ensure_database
from gis.logins import api_logins
from gis.settings import ApiSettings, DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.sources import mytho
from tests.api_config.test_api_tiles import CENTRE, TILES, tile_of
from tests.conftest import VERSION_DIRS, free_port, wait_until_serving

pytestmark = pytest.mark.http

ROOT = Path(__file__).resolve().parents[2]
DB = "dothi_replica"
ITEMS = "/collections/admin_units/items"


@dataclass
class Pair:
    primary: EmbeddedCluster
    replica: EmbeddedCluster
    owner: Engine  # the primary, as the owner role
    base: str  # the API

    def replica_engine(self) -> Engine:
        return create_engine(self.replica.url(DB))

    def wait_replayed(self) -> None:
        with self.owner.connect() as conn:
            target = conn.execute(sa.text("SELECT pg_current_wal_lsn()")).scalar_one()
        standby = self.replica_engine()
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with standby.connect() as conn:
                    done = conn.execute(
                        sa.text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)"), {"lsn": target}
                    ).scalar_one()
                if done:
                    return
                time.sleep(0.1)
            raise AssertionError("the replica did not replay the primary's change within 30 s")
        finally:
            standby.dispose()


def api_connections(url: str) -> int:
    """How many connections the API's reader login holds on a server."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'dothi_api' AND datname = :db"
                    ),
                    {"db": DB},
                ).scalar_one()
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = ROOT / ".data" / f"test-replica-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    primary = EmbeddedCluster(folder / "primary", db_name=DB, preferred_port=57432)
    replica = EmbeddedCluster(folder / "replica", db_name=DB, preferred_port=57532)
    proc = None
    try:
        primary.up()
        owner_url = make_url(primary.url(DB))
        ensure_database(owner_url)
        owner = create_engine(owner_url)
        migrate.upgrade(owner, extra_version_dirs=VERSION_DIRS)
        for bundle in mytho.admin_unit_bundles():
            load_frame(owner, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
        replica.init_replica_of(primary)
        replica.start()
        settings = DatabaseSettings(
            data_dir=folder / "primary",
            db_name=DB,
            database_read_urls=f"postgresql://127.0.0.1:{replica.port}/{DB}",
        )
        api = ApiSettings(port=free_port(), workers=1)
        logins = api_logins(settings, owner_url)
        files = server.generate(owner, logins, api, tmp_path_factory.mktemp("replica-api"))
        log_path = tmp_path_factory.getbasetemp() / "gunicorn-replica.log"
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                server.gunicorn_command(api), env=server.server_env(files, logins), stdout=log, stderr=log
            )
        wait_until_serving(api.url, proc, log_path)
        pair = Pair(primary, replica, owner, api.url)
        pair.wait_replayed()
        yield pair
        owner.dispose()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        replica.destroy()
        primary.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def _unit_name(base: str, unit_id: str) -> str:
    resp = requests.get(f"{base}{ITEMS}/{unit_id}", params={"f": "json"}, timeout=30)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["properties"]["name_vi"])


def _tile_names(base: str, z: int = 14) -> set[str]:
    col, row = tile_of(*CENTRE, z)
    resp = requests.get(f"{base}{TILES}/{z}/{row}/{col}", params={"f": "mvt"}, timeout=30)
    assert resp.status_code == 200
    return {
        f["properties"]["name_vi"] for f in mapbox_vector_tile.decode(resp.content)["admin_units"]["features"]
    }


def test_reads_reach_the_replica_and_follow_the_primary(pair: Pair) -> None:
    with pair.owner.connect() as conn:  # a ward in the centre tile
        unit_id, before = conn.execute(
            sa.text(
                "SELECT unit_id, name_vi FROM land.admin_units "
                "WHERE ST_Intersects(geom, ST_SetSRID(ST_Point(:x, :y), 4326)) LIMIT 1"
            ),
            {"x": CENTRE[0], "y": CENTRE[1]},
        ).one()
    assert _unit_name(pair.base, unit_id) == before
    assert before in _tile_names(pair.base)  # now also in the tile cache
    assert api_connections(pair.replica.url(DB)) > 0
    assert api_connections(pair.primary.url(DB)) == 0  # every read went to the replica

    renamed = f"{before} (đổi tên)"
    with pair.owner.begin() as conn:  # a change on the primary, e.g. a planner's edit in QGIS
        conn.execute(
            sa.text("UPDATE land.admin_units SET name_vi = :name WHERE unit_id = :id"),
            {"name": renamed, "id": unit_id},
        )
    pair.wait_replayed()
    assert _unit_name(pair.base, unit_id) == renamed
    names = _tile_names(pair.base)  # the cache is keyed by the version read with the rows
    assert renamed in names and before not in names


def test_losing_the_replica_falls_back_to_the_primary_without_a_5xx(pair: Pair) -> None:
    assert requests.get(f"{pair.base}{ITEMS}", params={"f": "json"}, timeout=30).status_code == 200
    pair.replica.stop()
    statuses = [
        requests.get(f"{pair.base}{ITEMS}", params={"f": "json", "offset": i}, timeout=30).status_code
        for i in range(20)
    ]
    assert statuses == [200] * 20
    assert _tile_names(pair.base)
    assert api_connections(pair.primary.url(DB)) > 0
