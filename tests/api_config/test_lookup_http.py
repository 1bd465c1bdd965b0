"""Tra cứu quy hoạch and the place search over real HTTP on the demo database: what a citizen's
click gets, checked against the database itself; bad input is a 400 naming the parameter; the
process answers the same as the route; the routes are rate limited."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from api_config.lookup.web import blueprint
from gis.settings import ApiSettings
from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.notices import SYNTHETIC_DATA
from tests.conftest import bearer


def get(url: str) -> tuple[int, Any, Any]:
    r = requests.get(url, timeout=60)
    return r.status_code, r.json(), r.headers  # header names are case-insensitive (granian sends lower case)


def _points(demo_url: URL) -> list[tuple[float, float]]:
    """A point inside each 2025 ward, one on a planned land-use zone, and three schools."""
    eng = create_engine(demo_url)
    with eng.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM land.admin_units "
                "WHERE vintage = 2025 UNION ALL (SELECT ST_PointOnSurface(geom) FROM land.land_use "
                "WHERE status = 'planned' ORDER BY zone_id LIMIT 1) UNION ALL (SELECT geom FROM "
                "infrastructure.schools ORDER BY school_id LIMIT 3)) AS x"
            )
        ).fetchall()
    eng.dispose()
    return [(float(x), float(y)) for x, y in rows]


def test_lookup_answers_what_the_database_holds(demo_api_server: str, demo_url: URL) -> None:
    eng = create_engine(demo_url)
    modelled = 0
    for lon, lat in _points(demo_url):
        status, body, headers = get(f"{demo_api_server}/lookup?lon={lon}&lat={lat}&lang=en")
        assert status == 200, body
        assert "lookup;dur=" in headers.get("Server-Timing", "")
        with eng.connect() as conn:
            at = {"lon": lon, "lat": lat}
            wards = (
                conn.execute(
                    text(
                        "SELECT unit_id FROM land.admin_units WHERE ST_Covers(geom, "
                        "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) ORDER BY vintage DESC"
                    ),
                    at,
                )
                .scalars()
                .all()
            )
            zones = conn.execute(
                text(
                    "SELECT code, status FROM land.land_use WHERE ST_Covers(geom, "
                    "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"
                ),
                at,
            ).fetchall()
            school_m = conn.execute(
                text(
                    "SELECT min(ST_Distance(ST_Transform(geom, 32648), "
                    "ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 32648))) FROM infrastructure.schools"
                ),
                at,
            ).scalar()
            cell = conn.execute(
                text(
                    "SELECT level_h1_m, level_h2_m, level_h3_m FROM analysis.flood_exposure "
                    "WHERE level = 'grid' AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"
                ),
                at,
            ).fetchone()
        levels = [] if cell is None else [float(v) for v in cell if v is not None]
        assert [w["unit_id"] for w in body["wards"]] == wards
        assert {w["vintage"] for w in body["wards"]} == {2019, 2025}
        got = [(z["code"], z["status"]) for z in body["land_use"]["current"] + body["land_use"]["planned"]]
        assert sorted(got) == sorted((c, s) for c, s in zones)
        for z in body["land_use"]["current"] + body["land_use"]["planned"]:
            assert z["meaning"]["en"] == LAND_USE_CODES[z["code"]].name_en
            assert z["meaning"]["vi"] == LAND_USE_CODES[z["code"]].name_vi
        walking = body["walking"]
        assert set(walking) == {"school", "clinic", "market", "stop", "park"}
        # along the streets is never shorter than the straight line to the nearest school
        assert walking["school"]["distance_m"] >= school_m - 1
        assert walking["school"]["distance_m"] < 20_000
        assert [f["water_level_m"] for f in body["flood_model"]] == levels
        modelled += bool(levels)
        ids = {i["id"] for i in body["indicators"]}
        assert "population_density" in ids
        density = next(i for i in body["indicators"] if i["id"] == "population_density")
        assert density["ward"]["2025"]["unit_id"] == wards[0] and density["city"] > 0
        assert body["synthetic"] is True and body["notice"]["en"] == SYNTHETIC_DATA["en"]
    eng.dispose()
    assert modelled, "no point fell in a cell of the flood model"
    # the same place in Vietnamese
    lon, lat = _points(demo_url)[0]
    status, body, _ = get(f"{demo_api_server}/lookup?lon={lon}&lat={lat}")
    assert status == 200 and body["lang"] == "vi"
    assert body["walking"]["school"]["label"] == "Trường học"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("lat=10.36", "lon"),
        ("lon=abc&lat=10.36", "lon"),
        ("lon=106.36&lat=inf", "lat"),
        ("lon=107.5&lat=10.36", "lon"),
        ("lon=106.36&lat=10.36&radius=5", "radius"),
        ("lon=106.36&lat=10.36&lang=fr", "lang"),
    ],
)
def test_lookup_refuses_bad_input(demo_api_server: str, query: str, name: str) -> None:
    status, body, _ = get(f"{demo_api_server}/lookup?{query}")
    assert status == 400, body
    assert name in body["description"]


def test_search_finds_places_without_accents(demo_api_server: str, demo_url: URL) -> None:
    eng = create_engine(demo_url)
    with eng.connect() as conn:
        school = conn.execute(
            text("SELECT name FROM infrastructure.schools WHERE name IS NOT NULL ORDER BY school_id LIMIT 1")
        ).scalar()
        ward = conn.execute(
            text("SELECT name_vi FROM land.admin_units WHERE vintage = 2025 ORDER BY code LIMIT 1")
        ).scalar()
    eng.dispose()
    from api_config.lookup.search import fold

    for name, kind in ((school, "school"), (ward, "ward")):
        q = urllib.parse.quote(fold(name))
        status, body, _ = get(f"{demo_api_server}/search?q={q}&limit=20")
        assert status == 200, body
        assert any(r["name"] == name and r["kind"] == kind for r in body["results"]), (name, body)
    status, body, _ = get(
        f"{demo_api_server}/search?q=" + urllib.parse.quote("x' OR 1=1; DROP TABLE land.admin_units; --")
    )
    assert status == 200 and body["results"] == []
    status, body, _ = get(f"{demo_api_server}/search?q=cho&limit=3")
    assert status == 200 and 0 < len(body["results"]) <= 3
    for bad, name in (
        ("q=", "q"),
        ("q=" + "a" * 81, "q"),
        ("q=cho&limit=100", "limit"),
        ("q=cho&sort=name", "sort"),
    ):
        status, body, _ = get(f"{demo_api_server}/search?{bad}")
        assert status == 400 and name in body["description"], (bad, body)


def test_lookup_process_answers_like_the_route(
    demo_api_server: str, demo_api_key: str, demo_url: URL
) -> None:
    lon, lat = _points(demo_url)[1]
    url = f"{demo_api_server}/processes/lookup/execution"
    r = requests.post(
        url, json={"inputs": {"lon": lon, "lat": lat, "lang": "en"}}, headers=bearer(demo_api_key), timeout=60
    )
    assert r.status_code == 200, r.text
    result = r.json()
    _, route, _ = get(f"{demo_api_server}/lookup?lon={lon}&lat={lat}&lang=en")
    assert result["wards"] == route["wards"] and result["walking"] == route["walking"]
    # outside the city: a client error naming the problem, not a 500
    r = requests.post(
        url, json={"inputs": {"lon": 100.0, "lat": 10.36}}, headers=bearer(demo_api_key), timeout=60
    )
    assert 400 <= r.status_code < 500, r.text
    assert "outside the city" in r.text
    # like every process, it needs a key
    assert requests.post(url, json={"inputs": {"lon": lon, "lat": lat}}, timeout=60).status_code == 401


def test_routes_are_rate_limited_per_client() -> None:
    app = Flask(__name__)
    app.register_blueprint(blueprint({"resources": {}}, ApiSettings(lookup_rate="2/minute")))
    client = app.test_client()
    codes = [client.get("/search?q=", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    refused = client.get("/lookup?lon=1&lat=1", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many requests" in refused.get_json()["description"]
    other = client.get("/search?q=", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 400
