"""The generated demo data loads into an empty (migrated) database, is reused, and never replaces real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from sqlalchemy import text
from sqlalchemy.engine import Engine

from layers.catalog import LAYERS, MARKETS
from layers.load import SourceInfo, load_frame
from layers.rasters import get_raster_row, sha256
from layers.synthetic.generate import SyntheticData, frame_checksum, generate_and_load, load_synthetic

from .conftest import SEED


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture(scope="module")
def demo_loaded(engine: Engine, data: SyntheticData, demo_dir: Path) -> Engine:
    with engine.begin() as conn:  # the test database may hold rows from other tests
        for name in data.layers:
            spec = LAYERS[name]
            conn.execute(text(f'DELETE FROM "{spec.schema}"."{spec.table}"'))  # noqa: S608 - fixed catalog names
        conn.execute(text("DELETE FROM catalog.rasters"))
    report = load_synthetic(engine, demo_dir, data)
    assert set(report.layers.values()) == {"synthetic"}
    return engine


def test_every_layer_and_raster_is_in_the_database(
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


def test_same_seed_is_reused_without_regenerating(demo_loaded: Engine, demo_dir: Path) -> None:
    report = generate_and_load(demo_loaded, demo_dir, seed=SEED)
    assert report.reused
    assert set(report.layers.values()) == {"reused"}
    assert len(report.rasters) == 4


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
        report = load_synthetic(demo_loaded, demo_dir, data)
        assert report.layers["infrastructure.markets"] == "real"
        with demo_loaded.connect() as conn:
            kept = conn.execute(
                text("SELECT source FROM infrastructure.markets WHERE market_id = 'REAL-1'")
            ).scalar_one()
        assert kept == "a survey"
    finally:
        with demo_loaded.begin() as conn:
            conn.execute(text("DELETE FROM infrastructure.markets WHERE NOT synthetic"))
