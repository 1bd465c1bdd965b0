"""Every client opens every collection (issue 12): GDAL's ``OAPIF:`` and ``OGCAPI:`` drivers (the
system ``ogrinfo``/``gdalinfo`` and the GDAL bundled with pyogrio), OWSLib, pyogrio and geopandas
against a real server on loopback (the demo database: layers, indicators and rasters)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import rasterio
import requests
from owslib.ogcapi.coverages import Coverages
from owslib.ogcapi.features import Features
from owslib.ogcapi.processes import Processes
from pyproj import Transformer

from analysis.registry import INDICATORS

EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"


def _run(*args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A GDAL command; ``cache`` is where GDAL's WMS reader (behind OGCAPI coverages) keeps its
    block cache (by default ./gdalwmscache in the working directory)."""
    env = dict(os.environ, GDAL_DEFAULT_WMS_CACHE_PATH=str(cache)) if cache else None
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300, check=False, env=env)


def _collections(base: str) -> list[dict]:
    return requests.get(f"{base}/collections", params={"f": "json"}, timeout=60).json()["collections"]


def _coverage_ids(base: str) -> list[str]:
    return [c["id"] for c in _collections(base) if c.get("layerDataType") == "Coverage"]


def _raster_file(base: str, cid: str, data_dir: Path) -> Path:
    """The COG behind a coverage collection (the one file of the raster's folder named like it)."""
    files = [p for p in data_dir.rglob("*.tif") if cid in (p.stem, p.parent.name)]
    assert len(files) == 1, files
    return files[0]


def test_oapif_lists_feature_collections_without_errors(demo_api_server: str) -> None:
    coverages = _coverage_ids(demo_api_server)
    assert coverages, "the demo publishes rasters"
    listing = _run("ogrinfo", "-ro", "-so", f"OAPIF:{demo_api_server}")
    assert listing.returncode == 0, listing.stderr
    assert "ERROR" not in listing.stderr, listing.stderr
    layers = {line.split(" ")[1] for line in listing.stdout.splitlines() if line[:1].isdigit()}
    features = {c["id"] for c in _collections(demo_api_server) if c.get("itemType") == "feature"}
    assert features <= layers
    assert not layers & set(coverages)


def test_pyogrio_oapif_lists_no_coverage(demo_api_server: str) -> None:
    layers = {name for name, _ in pyogrio.list_layers(f"OAPIF:{demo_api_server}")}
    assert "admin_units" in layers
    assert not layers & set(_coverage_ids(demo_api_server))


def test_coverage_crs_is_an_epsg_uri(demo_api_server: str, demo_data_dir: Path) -> None:
    for cid in _coverage_ids(demo_api_server):
        with rasterio.open(_raster_file(demo_api_server, cid, demo_data_dir)) as ds:
            code, (left, bottom) = ds.crs.to_epsg(), ds.xy(0, 0)
        resp = requests.get(
            f"{demo_api_server}/collections/{cid}/coverage",
            params={"f": "json", "subset": f"x({left - 60}:{left + 60}),y({bottom - 60}:{bottom + 60})"},
            timeout=60,
        )
        assert resp.status_code == 200, resp.text
        (system,) = [r["system"] for r in resp.json()["domain"]["referencing"]]
        assert system["id"] == f"{EPSG_URI}{code}"
        described = requests.get(
            f"{demo_api_server}/collections/{cid}", params={"f": "json"}, timeout=60
        ).json()
        assert described["storageCrs"] == f"{EPSG_URI}{code}"
        assert described["extent"]["spatial"]["crs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_gdal_ogcapi_reads_coverage_pixels(demo_api_server: str, demo_data_dir: Path, tmp_path: Path) -> None:
    cid = "elevation"
    path = _raster_file(demo_api_server, cid, demo_data_dir)
    info = _run("gdalinfo", "-json", f"OGCAPI:{demo_api_server}/collections/{cid}", cache=tmp_path)
    assert info.returncode == 0 and "ERROR" not in info.stderr, info.stderr
    doc = json.loads(info.stdout)
    with rasterio.open(path) as ds:
        # the OGCAPI raster covers the collection's CRS84 extent at about the native cell size
        assert abs(doc["size"][0] - ds.width) <= ds.width * 0.1
        row, col = ds.height // 2, ds.width // 3
        x, y = ds.xy(row, col)
        lon, lat = Transformer.from_crs(ds.crs, 4326, always_xy=True).transform(x, y)
        near = ds.read(1)[row - 1 : row + 2, col - 1 : col + 2]
    value = _run(
        "gdallocationinfo",
        "-valonly",
        "-wgs84",
        f"OGCAPI:{demo_api_server}/collections/{cid}",
        str(lon),
        str(lat),
        cache=tmp_path,
    )
    assert value.returncode == 0 and "ERROR" not in value.stderr, value.stderr
    assert np.isclose(near, float(value.stdout.strip()), atol=1e-4).any()


def test_scaled_coverage_is_exact_and_checked(demo_api_server: str) -> None:
    url = f"{demo_api_server}/collections/elevation/coverage"
    ok = requests.get(url, params={"f": "GTiff", "scaleSize": "x(37),y(21)"}, timeout=60)
    assert ok.status_code == 200 and ok.headers["Content-Type"].startswith("image/tiff")
    with rasterio.MemoryFile(ok.content) as mem, mem.open() as ds:
        assert (ds.width, ds.height) == (37, 21)
    bbox = requests.get(
        url, params={"bbox": "106.3,10.33,106.4,10.4", "scaleSize": "Lat(64),Long(90)"}, timeout=60
    )
    with rasterio.MemoryFile(bbox.content) as mem, mem.open() as ds:
        assert (ds.width, ds.height, ds.crs.to_epsg()) == (90, 64, 4326)
    for params in (
        {"scaleSize": "x(abc)"},
        {"scaleSize": "x(10)"},
        {"scaleSize": "x(9999),y(9999)"},
        {"scaleSize": "x(10),y(10)", "f": "json"},
        {"scaleSize": "x(10),y(10)", "foo": "1"},
    ):
        bad = requests.get(url, params=params, timeout=60)
        assert bad.status_code == 400, (params, bad.text)
        assert "Parameter" in bad.json()["description"]


def test_owslib_lists_coverages(demo_api_server: str) -> None:
    coverages = Coverages(demo_api_server).coverages()
    assert set(_coverage_ids(demo_api_server)) <= set(coverages)


def test_tile_matrix_set_parses_in_system_gdal(demo_api_server: str, tmp_path: Path) -> None:
    """GDAL 3.6 reads only the TMS 1.0 members; newer GDAL and OpenLayers the 2.0 ones."""
    tms = requests.get(f"{demo_api_server}/TileMatrixSets/WebMercatorQuad", params={"f": "json"}, timeout=60)
    doc = tms.json()
    assert [m["id"] for m in doc["tileMatrices"]] == [m["identifier"] for m in doc["tileMatrix"]]
    (tmp_path / "tms.json").write_text(tms.text, encoding="utf-8")
    src, out = tmp_path / "src.tif", tmp_path / "out.gpkg"
    made = _run(
        "gdal_create",
        "-of",
        "GTiff",
        "-outsize",
        "8",
        "8",
        "-a_srs",
        "EPSG:3857",
        "-a_ullr",
        "0",
        "8",
        "8",
        "0",
        str(src),
    )
    assert made.returncode == 0, made.stderr
    tiled = _run(
        "gdal_translate",
        "-q",
        "-of",
        "GPKG",
        "-co",
        f"TILING_SCHEME={tmp_path / 'tms.json'}",
        str(src),
        str(out),
    )
    assert tiled.returncode == 0 and "ERROR" not in tiled.stderr, tiled.stderr


def test_gdal_ogcapi_reads_vector_tiles(demo_api_server: str) -> None:
    """pyogrio's GDAL (the system GDAL 3.6 of Debian is built without the OGCAPI vector-tile
    reader).  GDAL takes MINX… in the tile matrix set's CRS (EPSG:3857)."""
    collection = requests.get(
        f"{demo_api_server}/collections/admin_units", params={"f": "json"}, timeout=60
    ).json()
    minx, miny, maxx, maxy = collection["extent"]["spatial"]["bbox"][0]
    to_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, x1), (y0, y1) = to_3857.transform([minx, maxx], [miny, maxy])
    source = f"OGCAPI:{demo_api_server}/collections/admin_units"
    tileset = requests.get(
        f"{demo_api_server}/collections/admin_units/tiles/WebMercatorQuad", params={"f": "json"}, timeout=60
    ).json()
    z14 = next(lim for lim in tileset["tileMatrixSetLimits"] if lim["tileMatrix"] == "14")
    assert z14["minTileCol"] <= z14["maxTileCol"] and z14["minTileRow"] <= z14["maxTileRow"]
    layers = {name for name, _ in pyogrio.list_layers(source)}
    assert layers, "the OGCAPI driver opens the tiles"
    frame = pyogrio.read_dataframe(source, layer="Zoom level 14", MINX=x0, MINY=y0, MAXX=x1, MAXY=y1)
    assert len(frame) > 0 and frame.crs.to_epsg() == 3857
    inside = frame.geometry.centroid.within(
        gpd.GeoSeries.from_xy([x0, x1], [y0, y1]).envelope.union_all().buffer(20_000)
    )
    assert inside.all()


def test_gdal_ogcapi_items_of_a_feature_collection(demo_api_server: str) -> None:
    matched = requests.get(
        f"{demo_api_server}/collections/admin_units/items", params={"f": "json", "limit": 1}, timeout=60
    ).json()["numberMatched"]
    items = _run(
        "ogrinfo", "-ro", "-al", "-q", "-oo", "API=ITEMS", f"OGCAPI:{demo_api_server}/collections/admin_units"
    )
    assert items.returncode == 0 and "ERROR" not in items.stderr, items.stderr
    assert items.stdout.count("OGRFeature(") == matched


def test_geopandas_reads_an_indicator_collection(demo_api_server: str) -> None:
    url = f"{demo_api_server}/collections/population_density/items"
    matched = requests.get(url, params={"f": "json", "limit": 1}, timeout=60).json()["numberMatched"]
    frame = gpd.read_file(f"{url}?f=json&limit=1000")
    assert len(frame) == min(1000, matched) and frame.crs.to_epsg() == 4326
    assert {"density_per_km2", "level", "unit_id"} <= set(frame.columns)


#: Processes besides one per indicator (the planning look-up, scenario evaluation).
OTHER_PROCESSES = {"lookup", "scenario-evaluate"}


def test_processes_listed_whole_and_paged(api_server: str) -> None:
    expected = {f"{i}-run" for i in INDICATORS} | OTHER_PROCESSES
    total = len(expected)
    everything = requests.get(f"{api_server}/processes", params={"f": "json"}, timeout=60).json()
    assert {p["id"] for p in everything["processes"]} == expected
    assert not [link for link in everything["links"] if link["rel"] == "next"]
    assert len(Processes(api_server).processes()) == total
    seen: list[str] = []
    url: str | None = f"{api_server}/processes?f=json&limit=4"
    pages = 0
    while url:
        page = requests.get(url, timeout=60).json()
        seen += [p["id"] for p in page["processes"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
        pages += 1
        if pages > 1:
            assert any(link["rel"] == "prev" for link in page["links"])
    assert sorted(seen) == sorted(p["id"] for p in everything["processes"])
    assert pages == -(-total // 4)
    for bad in ({"limit": "0"}, {"offset": "-1"}, {"limit": "x"}):
        assert (
            requests.get(f"{api_server}/processes", params={"f": "json", **bad}, timeout=60).status_code
            == 400
        )


@pytest.mark.parametrize("reader", ["owslib", "pyogrio"])
def test_feature_readers_agree(api_server: str, reader: str) -> None:
    if reader == "owslib":
        items = Features(api_server).collection_items("admin_units", limit=100)
        ids = {f["id"] for f in items["features"]}
    else:
        frame = pyogrio.read_dataframe(f"OAPIF:{api_server}", layer="admin_units", fid_as_index=True)
        ids = set(frame["id"]) if "id" in frame.columns else set(frame.index)
    matched = requests.get(
        f"{api_server}/collections/admin_units/items", params={"f": "json", "limit": 1}, timeout=60
    ).json()["numberMatched"]
    assert len(ids) == matched
