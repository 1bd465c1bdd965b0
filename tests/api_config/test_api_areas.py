"""The features collections limited to one study area: ``area=`` and a CQL2 filter on ``area``;
an unknown area is a 400 naming the parameter and listing the valid ones, a malformed one (control
characters, 10 000 characters) a 400 echoing it short and escaped; scenarios per area: the
``scenario-results`` collection and the ``scenario-evaluate`` process (real server, real DB)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import requests
import shapely
from sqlalchemy.engine import URL, Engine

from analysis.registry import get_indicator
from analysis.runner import compute_indicator, run_all
from analysis.scenarios import store
from analysis.scenarios.evaluate import IndicatorChange
from api_config.security.keys import create_key
from gis.engine import create_engine, drop_database
from gis.settings import DatabaseSettings
from layers.sources import mytho, tien_giang
from tests.conftest import _serve, bearer
from tests.layers.conftest import _migrated

pytestmark = pytest.mark.http

AREA = "tg_api"
_KEY: list[str] = []
COMMUNES = ("8070101", "8070103", "8070117")


@pytest.fixture(scope="module")
def areas_server(db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url: URL = _migrated(db_settings, "areasapi")
    engine = create_engine(url)
    mytho.load_bundles(engine)
    tien_giang.load(engine, area=AREA, communes=COMMUNES)
    run_all(engine, only=["population_density"])
    run_all(engine, only=["population_density"], area=AREA)
    for name, area in (("mt-scen", "mytho"), ("tg-scen", AREA)):
        _published_scenario(engine, name, area)
    folder: Path = tmp_path_factory.mktemp("api-areas")
    _KEY.append(create_key(engine, "areas-planner", "planner")[1])
    try:
        yield from _serve(engine, url, folder, tmp_path_factory.getbasetemp() / "gunicorn-areas.log")
    finally:
        engine.dispose()
        drop_database(url)


def _published_scenario(engine: Engine, name: str, area: str) -> None:
    """A published scenario of ``area`` whose stored results are its wards' density, doubled."""
    store.create(engine, name, title_vi=name, title_en=name, author="test", area=area)
    spec = get_indicator("population_density")
    rows = compute_indicator(engine, spec, area=area).rows.to_crs(4326)
    rows = rows[rows["level"] == "ward"]
    value = rows[spec.value_column].astype(float)
    changed = gpd.GeoDataFrame(
        {
            **{c: rows[c].to_numpy() for c in ("level", "unit_id", "vintage", "name_vi", "name_en")},
            "value_column": spec.value_column,
            "before": value.to_numpy(),
            "after": 2 * value.to_numpy(),
            "change": value.to_numpy(),
            "values": [{spec.value_column: 2 * v} for v in value],
        },
        geometry=rows.geometry.to_numpy(),
        crs=4326,
    )
    change = IndicatorChange(spec.id, spec.value_column, "full", 0.0, False, changed)
    store.save_results(engine, name, [change], publish=True)


def _items(base: str, collection: str, **params: str) -> requests.Response:
    return requests.get(f"{base}/collections/{collection}/items", params={"f": "json", **params}, timeout=30)


@pytest.mark.parametrize("collection", ["admin_units", "population_density"])
def test_area_parameter_limits_a_collection(areas_server: str, collection: str) -> None:
    everything = _items(areas_server, collection, limit="1000").json()["features"]
    mine = _items(areas_server, collection, area=AREA, limit="1000")
    assert mine.status_code == 200, mine.text
    features = mine.json()["features"]
    assert features and {f["properties"]["area"] for f in features} == {AREA}
    assert len(features) == sum(f["properties"]["area"] == AREA for f in everything)
    theirs = _items(areas_server, collection, area="mytho", limit="1000").json()["features"]
    assert len(theirs) + len(features) == len(everything)


def test_cql2_filter_on_area(areas_server: str) -> None:
    text = _items(areas_server, "admin_units", filter=f"area = '{AREA}'", **{"filter-lang": "cql2-text"})
    assert text.status_code == 200, text.text
    assert {f["properties"]["area"] for f in text.json()["features"]} == {AREA}
    assert len(text.json()["features"]) == len(COMMUNES)
    other = _items(areas_server, "admin_units", filter="area <> 'mytho'", **{"filter-lang": "cql2-text"})
    assert {f["properties"]["unit_id"].split(":")[0] for f in other.json()["features"]} == {AREA}


@pytest.mark.parametrize("collection", ["admin_units", "population_density"])
def test_unknown_area_is_a_400_listing_the_valid_ones(areas_server: str, collection: str) -> None:
    response = _items(areas_server, collection, area="atlantis")
    assert response.status_code == 400, response.text
    body = response.text
    assert "'area'" in body and "atlantis" in body and "mytho" in body and AREA in body


def test_processes_take_an_area_input(areas_server: str) -> None:
    url = f"{areas_server}/processes/population_density-run/execution"
    desc = requests.get(f"{areas_server}/processes/population_density-run", params={"f": "json"}, timeout=30)
    assert "area" in desc.json()["inputs"]
    ran = requests.post(url, json={"inputs": {"area": AREA}}, headers=bearer(_KEY[0]), timeout=120)
    assert ran.status_code == 200, ran.text
    body = ran.json()
    assert body["run"]["area"] == AREA
    wards = [f for f in body["features"] if f["properties"]["level"] != "city"]
    assert len(wards) == len(COMMUNES)
    assert {f["properties"]["unit_id"].split(":")[0] for f in wards} == {AREA}
    assert body["run"]["published_run_id"] is not None  # same inputs as the published run of that area
    bad = requests.post(url, json={"inputs": {"area": "atlantis"}}, headers=bearer(_KEY[0]), timeout=120)
    assert bad.status_code == 400, bad.text
    assert "area" in bad.text and "atlantis" in bad.text and "mytho" in bad.text


def test_scenario_results_per_area(areas_server: str) -> None:
    everything = _items(areas_server, "scenario-results", limit="1000").json()["features"]
    mine = _items(areas_server, "scenario-results", area=AREA, limit="1000")
    assert mine.status_code == 200, mine.text
    features = mine.json()["features"]
    assert len(features) == len(COMMUNES)
    assert {(f["properties"]["area"], f["properties"]["scenario"]) for f in features} == {(AREA, "tg-scen")}
    theirs = _items(areas_server, "scenario-results", area="mytho", limit="1000").json()["features"]
    assert {f["properties"]["scenario"] for f in theirs} == {"mt-scen"}
    assert len(theirs) + len(features) == len(everything)
    cql = _items(
        areas_server,
        "scenario-results",
        filter=f"area = '{AREA}'",
        limit="1000",
        **{"filter-lang": "cql2-text"},
    )
    assert cql.status_code == 200, cql.text
    assert sorted(f["id"] for f in cql.json()["features"]) == sorted(f["id"] for f in features)
    unknown = _items(areas_server, "scenario-results", area="atlantis")
    assert unknown.status_code == 400, unknown.text
    assert "atlantis" in unknown.text and "mytho" in unknown.text and AREA in unknown.text


def _evaluate(base: str, inputs: dict[str, object]) -> requests.Response:
    return requests.post(
        f"{base}/processes/scenario-evaluate/execution",
        json={"inputs": inputs},
        headers=bearer(_KEY[0]),
        timeout=120,
    )


def _school(point: shapely.Point, fid: str) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"layer": "schools", "op": "add", "school_id": fid, "level": "primary"},
                "geometry": shapely.geometry.mapping(point),
            }
        ],
    }


def test_scenario_evaluate_takes_the_area_input(areas_server: str) -> None:
    desc = requests.get(f"{areas_server}/processes/scenario-evaluate", params={"f": "json"}, timeout=30)
    assert desc.json()["inputs"]["area"]["schema"]["default"] == "mytho"
    units = _items(areas_server, "admin_units", area=AREA, limit="1000").json()["features"]
    inside = shapely.geometry.shape(units[0]["geometry"]).representative_point()
    ok = _evaluate(areas_server, {"edits": _school(inside, "tg-new"), "area": AREA})
    assert ok.status_code == 200, ok.text
    assert ok.json()["area"] == AREA
    # the ward of Mỹ Tho farthest from the second area: outside its envelope + 1 km (0.0091° a side)
    envelope = shapely.union_all([shapely.geometry.shape(u["geometry"]) for u in units]).envelope
    city = _items(areas_server, "admin_units", area="mytho", vintage="2019", limit="1000").json()["features"]
    points = [shapely.geometry.shape(u["geometry"]).representative_point() for u in city]
    far = max(points, key=envelope.distance)
    assert far.distance(envelope) > 0.014
    assert _evaluate(areas_server, {"edits": _school(far, "far-new")}).status_code == 200
    refused = _evaluate(areas_server, {"edits": _school(far, "far-new"), "area": AREA})
    assert refused.status_code == 400, refused.text
    assert "far-new" in refused.text and AREA in refused.text
    unknown = _evaluate(areas_server, {"edits": _school(inside, "x"), "area": "atlantis"})
    assert unknown.status_code == 400, unknown.text
    assert "'area'" in unknown.text and "atlantis" in unknown.text and "mytho" in unknown.text
    assert AREA in unknown.text
    mismatch = _evaluate(areas_server, {"scenario": "tg-scen", "area": "mytho"})
    assert mismatch.status_code == 400 and "tg-scen" in mismatch.text and AREA in mismatch.text


BAD_VALUES = ("bad\r\nSet-Cookie: x=1\x00", "é" + "a" * 9_999)


def _short_and_escaped(text: str) -> None:
    assert "\r" not in text and "\x00" not in text and "Set-Cookie: x=1\n" not in text
    assert len(text) < 1_000, len(text)


@pytest.mark.parametrize("value", BAD_VALUES, ids=["control-characters", "10000-characters"])
def test_malformed_area_values_are_echoed_short_and_escaped(areas_server: str, value: str) -> None:
    got = _items(areas_server, "admin_units", area=value)
    assert got.status_code == 400, got.text[:300]
    message = got.json()["description"]
    _short_and_escaped(message)
    assert "'area'" in message
    ran = requests.post(
        f"{areas_server}/processes/population_density-run/execution",
        json={"inputs": {"area": value}},
        headers=bearer(_KEY[0]),
        timeout=120,
    )
    assert ran.status_code == 400, ran.text[:300]
    _short_and_escaped(ran.json()["description"])
    assert "area" in ran.json()["description"]
    if len(value) > 40:
        assert "10000" in message and "10000" in ran.json()["description"]
