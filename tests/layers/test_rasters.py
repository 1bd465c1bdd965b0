"""Raster storage: COG files + catalog.rasters rows, atomic replacement, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from api_config.cli import cli
from layers.errors import LayerError, SourceError, UnknownLayerError
from layers.rasters import RasterArray, get_raster_row, load_raster_file, raster_file, sha256, store_raster

#: A hand-made 3 × 4 grid of 30 m cells in UTM 48N over Mỹ Tho.
TRANSFORM = Affine(30.0, 0.0, 648_000.0, 0.0, -30.0, 1_146_000.0)
ARRAY = np.array([[0.5, 1.0, 1.5, 2.0], [0.4, 0.9, 1.4, 1.9], [-9999.0, 0.8, 1.3, 1.8]], dtype="float32")


def _forget(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM catalog.rasters WHERE layer IN ('environment.elevation', 'environment.built_up')"
            )
        )


@pytest.fixture
def clean(engine: Engine) -> Iterator[Engine]:
    """The shared test database without elevation/built-up rows, before and after the test."""
    _forget(engine)
    yield engine
    _forget(engine)


def _store(engine: Engine, data_dir: Path, array: np.ndarray = ARRAY, *, source: str = "hand-made") -> None:
    store_raster(
        engine,
        data_dir,
        RasterArray("elevation", array, TRANSFORM, "EPSG:32648"),
        synthetic=False,
        source=source,
    )


def test_a_raster_round_trips_through_the_catalog(clean: Engine, tmp_path: Path) -> None:
    _store(clean, tmp_path)
    row = get_raster_row(clean, "elevation")
    assert row is not None
    assert row["path"] == "rasters/elevation/elevation.tif"
    assert (row["width"], row["height"], row["resolution_m"], row["crs"]) == (4, 3, 30.0, "EPSG:32648")
    minx, miny, maxx, maxy = row["bbox"]
    assert 106.3 < minx < maxx < 106.4 and 10.3 < miny < maxy < 10.4
    path = raster_file(clean, tmp_path, "elevation")
    assert sha256(path) == row["checksum"]
    with rasterio.open(path) as src:
        assert src.nodata == -9999.0 and src.transform == TRANSFORM
        assert np.array_equal(src.read(1), ARRAY)
    with clean.connect() as conn:
        prov = conn.execute(
            text(
                "SELECT layer, features_written, content_checksum FROM catalog.load_provenance WHERE load_id = :i"
            ),
            {"i": row["load_id"]},
        ).one()
    assert tuple(prov) == ("environment.elevation", 1, row["checksum"])


def test_storing_the_same_raster_again_changes_nothing(clean: Engine, tmp_path: Path) -> None:
    _store(clean, tmp_path)
    first = get_raster_row(clean, "elevation")
    _store(clean, tmp_path)
    assert get_raster_row(clean, "elevation") == first


def _snapshot(engine: Engine, data_dir: Path) -> tuple[dict | None, str, list[str]]:
    folder = data_dir / "rasters" / "elevation"
    return (
        get_raster_row(engine, "elevation"),
        sha256(folder / "elevation.tif"),
        sorted(p.name for p in folder.iterdir()),
    )


def test_a_failed_load_leaves_the_previous_file_and_row(clean: Engine, tmp_path: Path) -> None:
    _store(clean, tmp_path)
    before = _snapshot(clean, tmp_path)
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00 this is not a GeoTIFF")
    with pytest.raises(SourceError, match="broken.tif"):
        load_raster_file(clean, tmp_path, "elevation", broken)
    assert _snapshot(clean, tmp_path) == before
    # A failure inside the transaction, after the new COG was written: a NUL byte in the source text.
    with pytest.raises(ValueError, match="NUL"):
        _store(clean, tmp_path, ARRAY + 1, source="bad\x00source")
    assert _snapshot(clean, tmp_path) == before


def test_years_are_required_for_time_series_and_refused_otherwise(clean: Engine, tmp_path: Path) -> None:
    with pytest.raises(LayerError, match="year is required"):
        store_raster(
            clean,
            tmp_path,
            RasterArray("built_up", ARRAY, TRANSFORM, "EPSG:32648"),
            synthetic=True,
            source="x",
        )
    with pytest.raises(LayerError, match="has no years"):
        store_raster(
            clean,
            tmp_path,
            RasterArray("elevation", ARRAY, TRANSFORM, "EPSG:32648", 2020),
            synthetic=True,
            source="x",
        )
    with pytest.raises(UnknownLayerError, match="slope"):
        store_raster(
            clean, tmp_path, RasterArray("slope", ARRAY, TRANSFORM, "EPSG:32648"), synthetic=True, source="x"
        )


def test_a_file_without_crs_is_refused_with_a_hint(clean: Engine, tmp_path: Path) -> None:
    path = tmp_path / "nocrs.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=4, height=3, count=1, dtype="float32", transform=TRANSFORM
    ) as dst:
        dst.write(ARRAY, 1)
    with pytest.raises(SourceError, match="no coordinate reference system"):
        load_raster_file(clean, tmp_path, "elevation", path)


def test_cli_load_raster_stores_a_year(clean: Engine, test_url: URL, tmp_path: Path) -> None:
    source = tmp_path / "built.tif"
    with rasterio.open(
        source,
        "w",
        driver="GTiff",
        width=4,
        height=3,
        count=1,
        dtype="float32",
        crs="EPSG:32648",
        transform=TRANSFORM,
    ) as dst:
        dst.write(np.clip(ARRAY, 0, 1), 1)
    env = {
        "DOTHI_DATABASE_URL": test_url.render_as_string(hide_password=False),
        "DOTHI_DATA_DIR": str(tmp_path / "data"),
    }
    runner = CliRunner()
    out = runner.invoke(cli, ["load", "raster", "built_up", str(source), "--year", "2015"], env=env)
    assert out.exit_code == 0, out.output
    assert "stored rasters/built_up/built_up_2015.tif" in out.output
    row = get_raster_row(clean, "built_up", 2015)
    assert row is not None and (tmp_path / "data" / row["path"]).is_file()
    missing = runner.invoke(cli, ["load", "raster", "built_up", str(source)], env=env)
    assert missing.exit_code != 0 and "year is required" in missing.output
    listed = runner.invoke(cli, ["rasters", "list"], env=env)
    assert listed.exit_code == 0 and "built_up_2015.tif" in listed.output
