"""Fixtures of the loader tests: a Las Palmas scratch database, small hand-made layers, checksums."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from sqlalchemy.engine import URL, Engine

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers.catalog import ADMIN_UNITS, LayerSpec
from layers.load import content_checksum, load_frame
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS
from layers.sources import mytho

LAS_PALMAS = Path(__file__).resolve().parents[1] / "data" / "las_palmas"
OSM_PBF = LAS_PALMAS / "las_palmas_2023-02-21.osm.pbf"
BOUNDARY = LAS_PALMAS / "las_palmas_boundary.geojson"
GTFS_ZIP = LAS_PALMAS / "las_palmas_gtfs_2023-02-22.zip"


def _migrated(settings: DatabaseSettings, suffix: str) -> URL:
    base = database_url(settings)
    url = base.set(database=f"{base.database}_{suffix}_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    eng = create_engine(url)
    migrate.upgrade(eng, extra_version_dirs=(LAYER_VERSIONS, ANALYSIS_VERSIONS))
    eng.dispose()
    return url


@pytest.fixture(scope="session")
def lp_url(db_settings: DatabaseSettings) -> Iterator[URL]:
    """A migrated database with no admin units (Las Palmas lies outside Mỹ Tho)."""
    url = _migrated(db_settings, "lp")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def lp_engine(lp_url: URL) -> Iterator[Engine]:
    eng = create_engine(lp_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def mt_url(db_settings: DatabaseSettings) -> Iterator[URL]:
    """A migrated database of the loader tests with the real Mỹ Tho admin units (the study area)."""
    url = _migrated(db_settings, "ingest")
    eng = create_engine(url)
    for bundle in mytho.admin_unit_bundles():
        load_frame(eng, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    eng.dispose()
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def mt_engine(mt_url: URL) -> Iterator[Engine]:
    eng = create_engine(mt_url)
    yield eng
    eng.dispose()


def checksum(engine: Engine, spec: LayerSpec) -> tuple[int, str]:
    with engine.connect() as conn:
        return content_checksum(conn, spec)


def markets_frame() -> gpd.GeoDataFrame:
    """Three hand-made markets in Mỹ Tho with Vietnamese names."""
    return gpd.GeoDataFrame(
        {
            "market_id": ["m-1", "m-2", "m-3"],
            "name": ["Chợ Mỹ Tho", "Siêu thị Co.opmart Mỹ Tho", "Chợ Đạo Thạnh"],
            "type": ["market", "supermarket", "market"],
            "stalls": [420, None, 85],
        },
        geometry=[Point(106.3602, 10.3545), Point(106.3671, 10.3592), Point(106.3443, 10.3801)],
        crs="EPSG:4326",
    )
