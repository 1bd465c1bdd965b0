"""OGC API – Tiles: MVT built in PostGIS, decoded with mapbox-vector-tile, checked against SQL."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Engine

TILES = "/collections/admin_units/tiles/WebMercatorQuad"
CENTRE = (106.36, 10.353)  # central Mỹ Tho


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(col, row) of the WebMercatorQuad tile containing a point (textbook slippy-map formula)."""
    n = 2**z
    col = int((lon + 180) / 360 * n)
    rad = math.radians(lat)
    row = int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)
    return col, row


def _expected(engine: Engine, z: int, col: int, row: int) -> set[str]:
    query = sa.text(
        "SELECT name_vi FROM land.admin_units "
        "WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326))"
    )
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(query, {"z": z, "x": col, "y": row})}


@pytest.mark.parametrize("z", [10, 14, 16])
def test_tile_decodes_to_the_features_it_covers(api_server: str, loaded: Engine, z: int) -> None:
    col, row = tile_of(*CENTRE, z)
    resp = requests.get(f"{api_server}{TILES}/{z}/{row}/{col}", params={"f": "mvt"}, timeout=30)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert resp.headers["Content-Encoding"] == "gzip"  # (requests asks for it and decompresses)
    layer = mapbox_vector_tile.decode(resp.content)["admin_units"]
    names = {f["properties"]["name_vi"] for f in layer["features"]}
    assert names == _expected(loaded, z, col, row)
    assert layer["extent"] == 4096
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in layer["features"])


def test_empty_and_invalid_tiles(api_server: str) -> None:
    col, row = tile_of(-40.0, 0.0, 10)  # mid-Atlantic
    assert requests.get(f"{api_server}{TILES}/10/{row}/{col}?f=mvt", timeout=30).status_code == 204
    for path in ("30/1/1", "3/99/99", "a/b/c"):
        assert requests.get(f"{api_server}{TILES}/{path}?f=mvt", timeout=30).status_code == 404, path
    assert (
        requests.get(f"{api_server}/collections/admin_units/tiles/Nope/1/1/1?f=mvt", timeout=30).status_code
        == 404
    )


def test_tileset_metadata_for_clients(api_server: str) -> None:
    meta = requests.get(f"{api_server}{TILES}", params={"f": "json"}, timeout=30).json()
    assert meta["dataType"] == "vector"
    assert meta["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    assert meta["tileMatrixSetURI"].endswith("WebMercatorQuad")
    items = [link for link in meta["links"] if link["rel"] == "item"]
    assert items and items[0]["type"] == "application/vnd.mapbox-vector-tile"
    assert "{tileMatrix}/{tileRow}/{tileCol}" in items[0]["href"]
    scheme = next(link for link in meta["links"] if link["rel"].endswith("tiling-scheme"))
    tms = requests.get(scheme["href"], params={"f": "json"}, timeout=30).json()
    assert tms["id"] == "WebMercatorQuad"
