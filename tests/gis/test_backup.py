"""``dothi db backup`` / ``dothi db restore``: a round trip through the real CLI, damaged archives.

The source is a small real database (Mỹ Tho admin units, density, two rasters) reached through
DOTHI_DATABASE_URL / DOTHI_DATA_DIR; restores go into new databases and data folders.
"""

from __future__ import annotations

import filecmp
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from affine import Affine
from sqlalchemy.engine import URL

from analysis.runner import run_all
from gis import migrate, pgtools
from gis.archive import DUMP, MANIFEST
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.errors import BackupError
from gis.settings import DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.rasters import RasterArray, store_raster
from layers.sources import mytho
from tests.conftest import VERSION_DIRS
from tests.gis.fingerprints import table_fingerprints

TRANSFORM = Affine(30.0, 0.0, 648_000.0, 0.0, -30.0, 1_146_000.0)


def _url(db_settings: DatabaseSettings, suffix: str) -> URL:
    base = database_url(db_settings)
    return base.set(database=f"{base.database}_{suffix}_{os.getpid()}")


@pytest.fixture(scope="module")
def source(
    db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[URL, Path]]:
    """A database with real admin units, the density indicator and two rasters, and its data folder."""
    url, data_dir = _url(db_settings, "backup_src"), tmp_path_factory.mktemp("backup-src-data")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    for bundle in mytho.admin_unit_bundles():
        load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    run_all(engine)
    rng = np.random.default_rng(11)
    store_raster(
        engine,
        data_dir,
        RasterArray("elevation", rng.random((40, 50), dtype="float32"), TRANSFORM, "EPSG:32648"),
        synthetic=True,
        source="test",
    )
    built = RasterArray("built_up", rng.random((40, 50), dtype="float32"), TRANSFORM, "EPSG:32648", year=2019)
    store_raster(engine, data_dir, built, synthetic=True, source="test")
    engine.dispose()
    yield url, data_dir
    drop_database(url)


@pytest.fixture
def target(db_settings: DatabaseSettings, tmp_path: Path) -> Iterator[tuple[URL, Path]]:
    """An empty database (extensions only) and an empty data folder."""
    url = _url(db_settings, "restore_target")
    drop_database(url)
    ensure_database(url)
    yield url, tmp_path / "restored-data"
    drop_database(url)


def _dothi(dothi_cli: list[str], url: URL, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DOTHI_DATABASE_URL": url.render_as_string(hide_password=False),
        "DOTHI_DATA_DIR": str(data_dir),
    }
    return subprocess.run(
        [*dothi_cli, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def archive(source: tuple[URL, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    url, data_dir = source
    path = tmp_path_factory.mktemp("backup") / "mytho.dothi-backup"
    proc = _dothi(
        [sys.executable, "-m", "api_config.cli"], url, data_dir, "--json", "db", "backup", str(path)
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["rasters"] == 2 and summary["rows"] > 0
    assert summary["revisions"] == sorted(migrate.head_revisions(VERSION_DIRS))
    return path


def test_round_trip_restores_every_table_and_raster_exactly(
    source: tuple[URL, Path], archive: Path, target: tuple[URL, Path], dothi_cli: list[str]
) -> None:
    (src_url, src_data), (dst_url, dst_data) = source, target
    proc = _dothi(dothi_cli, dst_url, dst_data, "--json", "db", "restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["verified"] and not summary["migrate_needed"] and summary["rasters"] == 2
    before, after = table_fingerprints(src_url), table_fingerprints(dst_url)
    assert before == after
    assert before["land.admin_units"][0] == 22 and before["catalog.rasters"][0] == 2
    assert before["analysis.population_density"][0] > 0
    rasters = sorted(p.relative_to(src_data) for p in src_data.rglob("*.tif"))
    assert len(rasters) == 2
    assert sorted(p.relative_to(dst_data) for p in dst_data.rglob("*.tif")) == rasters
    for rel in rasters:
        assert filecmp.cmp(src_data / rel, dst_data / rel, shallow=False)
    assert not list(dst_data.glob(".dothi-restore-*"))
    engine = create_engine(dst_url)
    try:
        assert migrate.current_revisions(engine) == migrate.head_revisions(VERSION_DIRS)
    finally:
        engine.dispose()


def _damage(archive: Path, dest: Path) -> Path:
    """A copy of the archive with one byte of the dump flipped."""
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = tar.getmember(DUMP)
    data[member.offset_data + member.size // 2] ^= 0xFF
    dest.write_bytes(bytes(data))
    return dest


def test_damaged_archive_is_refused_and_the_target_left_untouched(
    archive: Path, target: tuple[URL, Path], dothi_cli: list[str], tmp_path: Path
) -> None:
    dst_url, dst_data = target
    engine = create_engine(dst_url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    engine.dispose()
    before = table_fingerprints(dst_url)
    damaged = _damage(archive, tmp_path / "damaged.dothi-backup")
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", "--force", str(damaged))
    assert proc.returncode == BackupError.exit_code, proc.stderr
    assert "damaged archive" in proc.stderr and "database.dump has sha256" in proc.stderr
    assert table_fingerprints(dst_url) == before
    assert not list(dst_data.rglob("*.tif"))

    not_archive = tmp_path / "notes.txt"
    not_archive.write_text("hello")
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", str(not_archive))
    assert proc.returncode == BackupError.exit_code
    assert "not a dothi backup archive" in proc.stderr and "notes.txt" in proc.stderr

    truncated = tmp_path / "truncated.dothi-backup"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", "--force", str(truncated))
    assert proc.returncode == BackupError.exit_code
    assert "truncated" in proc.stderr or "damaged" in proc.stderr
    assert table_fingerprints(dst_url) == before


def test_existing_data_needs_force_and_is_then_replaced(
    source: tuple[URL, Path], archive: Path, target: tuple[URL, Path], dothi_cli: list[str]
) -> None:
    (src_url, _), (dst_url, dst_data) = source, target
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    assert "verified database.dump" in proc.stderr and "raster 2/2" not in proc.stderr  # progress
    assert "restored and verified" in proc.stdout
    engine = create_engine(dst_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM land.admin_units WHERE vintage = 2019"))
        conn.execute(sa.text("CREATE TABLE land.extra_planner_table (x int)"))
    engine.dispose()
    changed = table_fingerprints(dst_url)
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", str(archive))
    assert proc.returncode == BackupError.exit_code
    assert "already holds dothi data" in proc.stderr and "--force" in proc.stderr
    assert table_fingerprints(dst_url) == changed
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", "--force", str(archive))
    assert proc.returncode == 0, proc.stderr
    assert table_fingerprints(dst_url) == table_fingerprints(src_url)  # the extra table is gone too


def _rewrite_manifest(archive: Path, dest: Path, **changes: object) -> Path:
    with tarfile.open(archive) as src, tarfile.open(dest, "w") as out:
        for member in src:
            body = src.extractfile(member)
            if member.name == MANIFEST and body is not None:
                manifest = json.loads(body.read())
                manifest["database"].update(changes)
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                out.addfile(member, io.BytesIO(raw))
            else:
                out.addfile(member, body)
    return dest


def test_an_archive_of_a_newer_dothi_is_refused(
    archive: Path, target: tuple[URL, Path], dothi_cli: list[str], tmp_path: Path
) -> None:
    dst_url, dst_data = target
    newer = _rewrite_manifest(archive, tmp_path / "newer.dothi-backup", alembic_revisions=["0099_future"])
    proc = _dothi(dothi_cli, dst_url, dst_data, "db", "restore", str(newer))
    assert proc.returncode == BackupError.exit_code
    assert "version mismatch" in proc.stderr and "0099_future" in proc.stderr


def test_missing_client_programs_are_named(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match=r"not found: pg_dump of PostgreSQL 15") as err:
        pgtools.client("pg_dump", tmp_path)
    assert "postgresql-client-15" in str(err.value)
    assert pgtools.client("pg_dump").endswith("/15/bin/pg_dump")


def test_help_describes_the_archive(dothi_cli: list[str]) -> None:
    out = subprocess.run(
        [*dothi_cli, "db", "backup", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "manifest.json" in out and "DOTHI_DATABASE_URL" in out and "raster" in out


def test_the_manifest_describes_the_archive(archive: Path, source: tuple[URL, Path]) -> None:
    url, data_dir = source
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        body = tar.extractfile(MANIFEST)
        assert body is not None
        manifest = json.loads(body.read())
    assert names[:2] == [MANIFEST, DUMP] and len(names) == 4
    assert manifest["format"] == "dothi-backup" and manifest["dothi_version"]
    assert manifest["database"]["alembic_revisions"] == sorted(migrate.head_revisions(VERSION_DIRS))
    assert {"postgis", "postgis_raster", "pgrouting"} <= set(manifest["database"]["extensions"])
    tables = manifest["database"]["tables"]
    assert {k: v[0] for k, v in table_fingerprints(url).items()} == {k: v["rows"] for k, v in tables.items()}
    for raster in manifest["rasters"]:
        assert f"data/{raster['path']}" in names
        assert raster["bytes"] == (data_dir / raster["path"]).stat().st_size
    assert archive.stat().st_mode & 0o077 == 0  # the whole database: private


def test_a_missing_raster_file_stops_the_backup(
    source: tuple[URL, Path], dothi_cli: list[str], tmp_path: Path
) -> None:
    url, _ = source
    proc = _dothi(dothi_cli, url, tmp_path / "empty", "db", "backup", str(tmp_path / "x.dothi-backup"))
    assert proc.returncode == BackupError.exit_code
    assert "raster file missing" in proc.stderr and "rasters/built_up/built_up_2019.tif" in proc.stderr
    assert not list(tmp_path.glob("x.dothi-backup*"))
