"""The features collections limited to one study area: ``area=`` and a CQL2 filter on ``area``;
an unknown area is a 400 naming the parameter and listing the valid ones (real server, real DB)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import URL

from analysis.runner import run_all
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
    folder: Path = tmp_path_factory.mktemp("api-areas")
    _KEY.append(create_key(engine, "areas-planner", "planner")[1])
    try:
        yield from _serve(engine, url, folder, tmp_path_factory.getbasetemp() / "gunicorn-areas.log")
    finally:
        engine.dispose()
        drop_database(url)


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
