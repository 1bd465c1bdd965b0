"""The generated demo data loads into an empty (migrated) database, is reused, and never replaces real data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import rasterio
from sqlalchemy import text
from sqlalchemy.engine import Engine

from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers.catalog import LAYERS, MARKETS
from layers.load import SourceInfo, load_frame
from layers.rasters import get_raster_row, sha256
from layers.synthetic.generate import SyntheticData, frame_checksum, generate_and_load, load_synthetic
from tests.conftest import VERSION_DIRS

from .conftest import SEED


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture(scope="module")
def empty_engine(db_settings: DatabaseSettings) -> Iterator[Engine]:
    """A freshly created and migrated database of its own (nothing loaded)."""
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_synth_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    eng = create_engine(url)
    migrate.upgrade(eng, extra_version_dirs=VERSION_DIRS)
    yield eng
    eng.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def demo_loaded(empty_engine: Engine, demo_dir: Path) -> Engine:
    """What ``dothi demo`` does: generate from the seed (again, at full scale) and load."""
    report = generate_and_load(empty_engine, demo_dir, seed=SEED)
    assert not report.reused
    assert set(report.layers.values()) == {"synthetic"} and set(report.rasters.values()) == {"synthetic"}
    return empty_engine


def test_the_same_seed_loads_the_same_content_as_the_session_generation(
    demo_loaded: Engine, data: SyntheticData, demo_dir: Path
) -> None:
    with demo_loaded.connect() as conn:
        for name, frame in data.layers.items():
            spec = LAYERS[name]
            n, synthetic = conn.execute(
                text(f'SELECT count(*), bool_and(synthetic) FROM "{spec.schema}"."{spec.table}"')  # noqa: S608
            ).one()
            assert (n, synthetic) == (len(frame), True), name
            checksum = conn.execute(
                text(
                    "SELECT source_checksum FROM catalog.load_provenance WHERE layer = :l ORDER BY load_id DESC LIMIT 1"
                ),
                {"l": spec.qualified_name},
            ).scalar_one()
            assert checksum == frame_checksum(frame), name
    for raster in data.rasters:
        row = get_raster_row(demo_loaded, raster.name, raster.year)
        assert row is not None and row["synthetic"]
        path = demo_dir / row["path"]
        assert sha256(path) == row["checksum"]
        with rasterio.open(path) as src:
            assert src.crs.to_epsg() == 32648 and src.transform == raster.transform
            assert np.array_equal(src.read(1), raster.array)


def test_same_seed_is_reused_without_regenerating(
    demo_loaded: Engine, demo_dir: Path, data: SyntheticData
) -> None:
    report = generate_and_load(demo_loaded, demo_dir, seed=SEED)
    assert report.reused
    assert set(report.layers.values()) == {"reused"}
    assert len(report.rasters) == len(data.rasters)  # every generated raster (built-up per year too)
    assert set(report.rasters.values()) == {"reused"}


def test_real_features_are_kept_and_their_layer_stays_real(
    demo_loaded: Engine, data: SyntheticData, demo_dir: Path
) -> None:
    real = data.layers["markets"].iloc[:1].copy()
    real["market_id"] = "REAL-1"
    real["synthetic"] = False
    real["source"] = "a survey"
    load_frame(
        demo_loaded,
        MARKETS,
        real,
        source=SourceInfo(path="survey.gpkg", checksum="x1"),
        mode="replace",
        scope={"synthetic": False},
    )
    try:
        only_markets = SyntheticData(data.city, {"markets": data.layers["markets"]}, [])
        report = load_synthetic(demo_loaded, demo_dir, only_markets)
        assert report.layers == {"infrastructure.markets": "real"}
        with demo_loaded.connect() as conn:
            kept = conn.execute(
                text("SELECT source FROM infrastructure.markets WHERE market_id = 'REAL-1'")
            ).scalar_one()
        assert kept == "a survey"
    finally:
        with demo_loaded.begin() as conn:
            conn.execute(text("DELETE FROM infrastructure.markets WHERE NOT synthetic"))
