"""Vector-tile cache: exact because keyed by the table's change version (catalog.data_versions)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import mapbox_vector_tile
import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from api_config.providers.mvt import PostGISTileProvider
from api_config.providers.tilecache import TileCache

CENTRE = (106.36, 10.353)  # central Mỹ Tho


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def _version(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT version FROM catalog.data_versions WHERE table_name = :t"), {"t": table}
        ).scalar()
    return int(found or 0)


def test_lru_keeps_within_its_byte_budget() -> None:
    cache = TileCache(max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"5678")
    assert cache.get("a") == b"1234"  # a is now the most recently used
    cache.put("c", b"90ab")  # 12 bytes > 10: the least recently used (b) goes
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (b"1234", b"90ab")
    assert cache.size == 8
    cache.put("huge", b"x" * 11)  # larger than the whole budget: not kept
    assert cache.get("huge") is None
    assert (cache.stats.hits, cache.stats.misses) == (3, 2)


def test_every_change_increments_the_version_in_its_transaction(scratch_url: URL) -> None:
    from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
    from gis import migrate
    from gis.engine import create_engine
    from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS

    engine = create_engine(scratch_url)
    migrate.upgrade(engine, extra_version_dirs=(LAYER_VERSIONS, ANALYSIS_VERSIONS))
    table = "infrastructure.markets"
    assert _version(engine, table) == 0
    row = {"id": "m1", "name": "Chợ", "g": "SRID=4326;POINT(106.36 10.35)"}
    insert = sa.text(
        "INSERT INTO infrastructure.markets (market_id, name, type, geom) VALUES (:id, :name, 'market', :g)"
    )
    with engine.begin() as conn:
        conn.execute(insert, row)
    assert _version(engine, table) == 1
    with engine.connect() as conn:  # rolled back: no new version
        conn.execute(sa.text("UPDATE infrastructure.markets SET name = 'x'"))
        conn.rollback()
    assert _version(engine, table) == 1
    for statement in (
        "UPDATE infrastructure.markets SET name = 'Chợ mới'",
        "DELETE FROM infrastructure.markets",
        "TRUNCATE infrastructure.markets",
    ):
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert _version(engine, table) == 4
    engine.dispose()


@pytest.fixture
def provider(loaded: Engine, test_url: URL, monkeypatch: pytest.MonkeyPatch) -> Iterator[PostGISTileProvider]:
    monkeypatch.setenv("DOTHI_PG_PASSWORD", test_url.password or "")
    definition = {
        "type": "tile",
        "name": "api_config.providers.mvt.PostGISTileProvider",
        "data": {
            "host": test_url.host,
            "port": test_url.port,
            "dbname": test_url.database,
            "user": test_url.username,
            "password": test_url.password,
        },
        "options": {"kind": "layer", "name": "admin_units", "zoom": {"min": 0, "max": 22}, "cache_mb": 8},
        "geom_field": "geom",
        "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
    }
    yield PostGISTileProvider(definition)


def _names(tile: bytes | None) -> set[str]:
    assert tile
    return {f["properties"]["name_vi"] for f in mapbox_vector_tile.decode(tile)["admin_units"]["features"]}


def _content(tile: bytes | None) -> list[str]:
    """The tile's features, whatever order PostgreSQL read the rows in (an UPDATE moves a row)."""
    assert tile
    features = mapbox_vector_tile.decode(tile)["admin_units"]["features"]
    return sorted(json.dumps(f, sort_keys=True) for f in features)


def test_cached_tiles_follow_every_change(provider: PostGISTileProvider, loaded: Engine) -> None:
    col, row = _tile(*CENTRE, 14)
    assert provider.cache is not None
    stats = provider.cache.stats
    first = provider.get_tiles(layer="admin_units", tileset="WebMercatorQuad", z=14, y=row, x=col)
    hits = stats.hits
    again = provider.get_tiles(layer="admin_units", tileset="WebMercatorQuad", z=14, y=row, x=col)
    assert again == first
    assert stats.hits == hits + 1  # served from the cache
    name = sorted(_names(first))[0]
    with loaded.begin() as conn:  # a planner renames a ward (as from QGIS)
        conn.execute(
            sa.text("UPDATE land.admin_units SET name_vi = name_vi || ' (mới)' WHERE name_vi = :n"),
            {"n": name},
        )
    try:
        changed = provider.get_tiles(layer="admin_units", tileset="WebMercatorQuad", z=14, y=row, x=col)
        assert f"{name} (mới)" in _names(changed)
        assert name not in _names(changed)
    finally:
        with loaded.begin() as conn:
            conn.execute(
                sa.text("UPDATE land.admin_units SET name_vi = :n WHERE name_vi = :m"),
                {"n": name, "m": f"{name} (mới)"},
            )
    assert _content(
        provider.get_tiles(layer="admin_units", tileset="WebMercatorQuad", z=14, y=row, x=col)
    ) == (_content(first))


def _coords(geometry: dict) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []

    def walk(c: object) -> None:
        if isinstance(c, list) and c and isinstance(c[0], (int, float)):
            out.append((int(c[0]), int(c[1])))
        elif isinstance(c, list):
            for part in c:
                walk(part)

    walk(geometry["coordinates"])
    return out


@pytest.mark.parametrize("z", [14, 16])
def test_linear_lonlat_mapping_matches_the_transform_within_a_grid_unit(
    provider: PostGISTileProvider, monkeypatch: pytest.MonkeyPatch, z: int
) -> None:
    from api_config.providers import mvt

    col, row = _tile(*CENTRE, z)
    assert mvt.linear_ok(z, row)
    provider.cache = None
    linear = mapbox_vector_tile.decode(
        provider.get_tiles(layer="admin_units", tileset="WebMercatorQuad", z=z, y=row, x=col)
    )["admin_units"]["features"]
    monkeypatch.setattr(mvt, "LINEAR_MAX_ERROR", -1.0)  # every vertex through ST_Transform
    exact = mapbox_vector_tile.decode(
        provider.get_tiles(layer="admin_units", tileset="WebMercatorQuad", z=z, y=row, x=col)
    )["admin_units"]["features"]
    by_id = {f["properties"]["unit_id"]: f for f in exact}
    assert {f["properties"]["unit_id"] for f in linear} == set(by_id)
    for feature in linear:
        a = np.array(_coords(feature["geometry"]))
        b = np.array(_coords(by_id[feature["properties"]["unit_id"]]["geometry"]))
        # every vertex of one tile has a vertex of the other within one grid unit (rings may start
        # at another vertex after clipping, so vertices are matched by position, not by order)
        gap = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)
        assert gap.min(axis=1).max() <= 1
        assert gap.min(axis=0).max() <= 1
