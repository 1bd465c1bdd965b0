"""Indicator results through the API one level at a time, rounded, and labelled when synthetic.

On the demo database (real wards, generated streets and facilities) served by `dothi serve`:
per-level collections, what GDAL/geopandas read from them, the records catalogue, the web map's
meta.json and the HTML items page.  The tile cache of a level view follows its base table.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import geopandas as gpd
import mapbox_vector_tile
import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from analysis.registry import HEALTH_ACCESS, POPULATION_DENSITY
from api_config.providers.mvt import PostGISTileProvider
from gis.engine import create_engine
from layers.notices import SYNTHETIC_RESULT

ID = HEALTH_ACCESS.id
LEVEL_IDS = [f"{ID}-ward-2025", f"{ID}-ward-2019", f"{ID}-city", f"{ID}-grid"]


@pytest.fixture(scope="module")
def demo_engine(demo_url: URL) -> Iterator[Engine]:
    engine = create_engine(demo_url)
    yield engine
    engine.dispose()


def _scalar(engine: Engine, query: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(query)).scalar() or 0)


def _get(base: str, path: str, **params: object) -> dict:
    response = requests.get(f"{base}{path}", params={"f": "json", **params}, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_one_collection_per_level_listed_wards_2025_first(demo_api_server: str) -> None:
    ids = [c["id"] for c in _get(demo_api_server, "/collections")["collections"]]
    ours = [i for i in ids if i == ID or i.startswith(f"{ID}-")]
    assert ours == [*LEVEL_IDS, ID]


@pytest.mark.parametrize(
    ("collection", "where"),
    [
        (f"{ID}-ward-2025", "level = 'ward' AND vintage = 2025"),
        (f"{ID}-ward-2019", "level = 'ward' AND vintage = 2019"),
        (f"{ID}-city", "level = 'city'"),
        (f"{ID}-grid", "level = 'grid'"),
    ],
)
def test_each_level_collection_holds_only_its_level(
    demo_api_server: str, demo_engine: Engine, collection: str, where: str
) -> None:
    expected = _scalar(demo_engine, f"SELECT count(*) FROM analysis.health_access WHERE {where}")  # noqa: S608
    page = _get(demo_api_server, f"/collections/{collection}/items", limit=1000)
    assert expected > 0 and page["numberMatched"] == expected
    level, _, vintage = collection.removeprefix(f"{ID}-").partition("-")
    for feature in page["features"]:
        props = feature["properties"]
        assert props["level"] == level
        assert props["name_vi"] and props["name_en"]  # grid cells are named too
        if vintage:
            assert props["vintage"] == int(vintage)


def test_read_file_of_the_ward_collection_gives_the_wards(demo_api_server: str, demo_engine: Engine) -> None:
    wards = _scalar(
        demo_engine, "SELECT count(*) FROM land.admin_units WHERE level = 'ward' AND vintage = 2025"
    )
    frame = gpd.read_file(f"{demo_api_server}/collections/{ID}-ward-2025/items?f=json&limit=1000")
    assert wards == 5 and len(frame) == wards
    assert set(frame["level"]) == {"ward"} and set(frame["vintage"]) == {2025}
    assert frame["name_vi"].str.startswith(("Phường", "Xã")).all()
    digits = HEALTH_ACCESS.precision
    for value in frame[HEALTH_ACCESS.value_column]:
        assert value == round(value, digits)
    assert frame["population"].map(lambda v: v == round(v)).all()  # persons: whole numbers


def test_the_combined_collection_starts_with_whole_wards(demo_api_server: str) -> None:
    first = _get(demo_api_server, f"/collections/{ID}/items", limit=10)["features"]
    assert [(f["properties"]["level"], f["properties"]["vintage"]) for f in first[:5]] == [("ward", 2025)] * 5
    frame = gpd.read_file(f"{demo_api_server}/collections/{ID}/items?f=json&limit=1000")
    levels = list(frame["level"])
    assert levels.index("grid") > max(i for i, lv in enumerate(levels) if lv in ("ward", "city"))


def test_synthetic_results_say_so_everywhere(demo_api_server: str) -> None:
    for lang in ("vi", "en"):
        meta = _get(demo_api_server, f"/collections/{ID}-ward-2025", lang=lang)
        assert SYNTHETIC_RESULT[lang] in meta["description"]
        assert SYNTHETIC_RESULT[lang] in meta["title"]
    props = _get(demo_api_server, f"/collections/{ID}-ward-2025/items", limit=1)["features"][0]["properties"]
    assert props["synthetic"] is True
    assert "infrastructure.health_facilities" in props["synthetic_inputs"]
    record = _get(demo_api_server, f"/collections/catalogue/items/indicator-{ID}")["properties"]
    assert record["synthetic"] is True and "infrastructure.health_facilities" in record["synthetic_inputs"]
    assert SYNTHETIC_RESULT["vi"] in record["description"] and SYNTHETIC_RESULT["en"] in record["description"]
    real = _get(demo_api_server, f"/collections/catalogue/items/indicator-{POPULATION_DENSITY.id}")
    assert real["properties"]["synthetic"] is False  # census and real wards only
    density = _get(demo_api_server, f"/collections/{POPULATION_DENSITY.id}-ward-2025", lang="en")
    assert SYNTHETIC_RESULT["en"] not in density["description"]
    only = _get(demo_api_server, "/collections/catalogue/items", type="indicator", synthetic="false")
    assert f"indicator-{POPULATION_DENSITY.id}" in {f["id"] for f in only["features"]}


def test_map_meta_flags_and_ward_collections(demo_api_server: str) -> None:
    meta = _get(demo_api_server, "/map/meta.json")
    entries = {i["id"]: i for i in meta["indicators"]}
    health = entries[ID]
    assert health["synthetic"] is True
    assert "infrastructure.health_facilities" in health["synthetic_inputs"]
    assert health["collections"] == {"2025": f"{ID}-ward-2025", "2019": f"{ID}-ward-2019"}
    assert health["notice"] == SYNTHETIC_RESULT
    density = entries[POPULATION_DENSITY.id]
    assert density["synthetic"] is False and density["synthetic_inputs"] == [] and density["notice"] is None


def test_html_items_page_of_the_wards_shows_names(demo_api_server: str, demo_engine: Engine) -> None:
    html = requests.get(
        f"{demo_api_server}/collections/{ID}-ward-2025/items", params={"f": "html"}, timeout=60
    )
    assert html.status_code == 200
    with demo_engine.connect() as conn:
        names = conn.execute(
            sa.text("SELECT name_vi FROM analysis.health_access WHERE level = 'ward' AND vintage = 2025")
        ).scalars()
        for name in names:
            assert name in html.text
    assert ">None<" not in html.text


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_tiles_of_a_level_view_follow_changes_of_its_table(
    loaded: Engine, test_url: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOTHI_PG_PASSWORD", test_url.password or "")
    collection = f"{POPULATION_DENSITY.id}-ward-2025"
    provider = PostGISTileProvider(
        {
            "type": "tile",
            "name": "api_config.providers.mvt.PostGISTileProvider",
            "data": {
                "host": test_url.host,
                "port": test_url.port,
                "dbname": test_url.database,
                "user": test_url.username,
                "password": test_url.password,
            },
            "options": {
                "kind": "indicator",
                "name": collection,
                "zoom": {"min": 0, "max": 22},
                "cache_mb": 8,
            },
            "geom_field": "geom",
            "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
        }
    )
    assert provider.table_key == "analysis.population_density_ward_2025"
    col, row = _tile(106.36, 10.353, 13)

    def densities() -> dict[str, float]:
        tile = provider.get_tiles(layer=collection, tileset="WebMercatorQuad", z=13, y=row, x=col)
        assert tile
        features = mapbox_vector_tile.decode(tile)[collection]["features"]
        assert {f["properties"]["vintage"] for f in features} == {2025}
        return {f["properties"]["unit_id"]: f["properties"]["density_per_km2"] for f in features}

    before = densities()
    hits = provider.cache.stats.hits if provider.cache else 0
    assert densities() == before and provider.cache is not None and provider.cache.stats.hits == hits + 1
    with loaded.begin() as conn:  # what a new run does to the table under the view
        conn.execute(
            sa.text("UPDATE analysis.population_density SET density_per_km2 = density_per_km2 + 1000")
        )
    try:
        after = densities()
        assert after == {unit: value + 1000 for unit, value in before.items()}
    finally:
        with loaded.begin() as conn:
            conn.execute(
                sa.text("UPDATE analysis.population_density SET density_per_km2 = density_per_km2 - 1000")
            )
    assert densities() == before
