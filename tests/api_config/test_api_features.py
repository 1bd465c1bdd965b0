"""OGC API – Features on the running server: filters, CRS, paging, formats and hostile input.

Expected values come from independent SQL on the same test database (or from known facts about
Mỹ Tho: 11 wards + 6 communes in 2019, 5 wards in 2025), never from the API's own output.
"""

from __future__ import annotations

import json

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Engine

ITEMS = "/collections/admin_units/items"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def _get(base: str, path: str = ITEMS, **params: str) -> requests.Response:
    params.setdefault("f", "json")
    return requests.get(f"{base}{path}", params=params, timeout=30)


def _scalar(engine: Engine, query: str, **params: object) -> object:
    with engine.connect() as conn:
        return conn.execute(sa.text(query), params).scalar()


def test_property_query_parameter_and_number_matched(api_server: str) -> None:
    body = _get(api_server, level="ward", limit="100", skipGeometry="true").json()
    assert body["numberMatched"] == 11 + 5
    assert {f["properties"]["level"] for f in body["features"]} == {"ward"}
    assert all(f["geometry"] is None for f in body["features"])


def test_cql2_text_filter_matches_sql(api_server: str, loaded: Engine) -> None:
    expected = _scalar(
        loaded, "SELECT count(*) FROM land.admin_units WHERE population > 15000 AND name_vi LIKE 'Phường%'"
    )
    body = _get(api_server, filter="population > 15000 AND name_vi LIKE 'Phường%'", limit="100").json()
    assert body["numberMatched"] == expected == len(body["features"])
    assert all(f["properties"]["population"] > 15000 for f in body["features"])


def test_cql2_json_filter_on_get_and_post(api_server: str) -> None:
    cql = {"op": "=", "args": [{"property": "vintage"}, 2025]}
    got = _get(api_server, filter=json.dumps(cql), **{"filter-lang": "cql2-json"}).json()
    assert got["numberMatched"] == 5
    posted = requests.post(
        f"{api_server}{ITEMS}?f=json",
        data=json.dumps(cql),
        headers={"Content-Type": "application/query-cql-json"},
        timeout=30,
    ).json()
    assert posted["numberMatched"] == 5


def test_spatial_and_case_insensitive_filters(api_server: str, loaded: Engine) -> None:
    point = "POINT(106.36 10.353)"
    expected = _scalar(
        loaded,
        "SELECT count(*) FROM land.admin_units WHERE ST_Intersects(geom, ST_GeomFromText(:p, 4326))",
        p=point,
    )
    body = _get(api_server, filter=f"S_INTERSECTS(geometry, {point})").json()
    assert body["numberMatched"] == expected
    assert expected >= 1  # one unit per vintage contains the point
    casei = _get(api_server, filter="CASEI(name_vi) = CASEI('PHƯỜNG MỸ THO')").json()
    assert [f["id"] for f in casei["features"]] == ["2025-28261"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"filter": "T_AFTER(vintage, TIMESTAMP('2020-01-01T00:00:00Z'))"}, "filter"),
        ({"filter": "population + 1 > 3"}, "filter"),
        ({"filter": "nope = 1"}, "filter"),
        ({"filter": "population > 'many'"}, "filter"),
        ({"filter": "population >"}, "filter"),
        ({"filter": "{not json", "filter-lang": "cql2-json"}, "filter"),
        ({"filter-lang": "sql"}, "filter-lang"),
        ({"foo": "1"}, "foo"),
        ({"population": "abc"}, "population"),
        ({"skipGeometry": "perhaps"}, "skipGeometry"),
        ({"datetime": "yesterday"}, "datetime"),
        ({"q": "ward"}, "q"),
        ({"crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}, "CRS"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api_server: str, params: dict, names: str) -> None:
    resp = _get(api_server, **params)
    assert resp.status_code == 400, (params, resp.text)
    assert names in resp.json()["description"], resp.text


def test_properties_sortby_and_paging(api_server: str, loaded: Engine) -> None:
    body = _get(api_server, properties="name_vi,population", sortby="-population", limit="3").json()
    assert all(set(f["properties"]) == {"name_vi", "population"} for f in body["features"])
    top = _scalar(loaded, "SELECT max(population) FROM land.admin_units")
    pops = [f["properties"]["population"] for f in body["features"]]
    assert pops[0] == top and pops == sorted(pops, reverse=True)
    page1 = _get(api_server, limit="5", skipGeometry="true").json()
    nxt = next(link["href"] for link in page1["links"] if link["rel"] == "next")
    page2 = requests.get(nxt, timeout=30).json()
    ids1 = {f["id"] for f in page1["features"]}
    ids2 = {f["id"] for f in page2["features"]}
    assert len(ids2) == 5 and not ids1 & ids2


def test_datetime_selects_vintages(api_server: str) -> None:
    assert _get(api_server, datetime="2025-07-01T00:00:00Z").json()["numberMatched"] == 5
    assert _get(api_server, datetime="2019-01-01/2019-12-31").json()["numberMatched"] == 17
    assert _get(api_server, datetime="../2020-01-01").json()["numberMatched"] == 17


@pytest.mark.parametrize("srid", [3857, 32648, 3405])
def test_crs_reprojection_matches_postgis(api_server: str, loaded: Engine, srid: int) -> None:
    uid = "2025-28261"
    resp = _get(api_server, f"{ITEMS}/{uid}", crs=f"{EPSG}{srid}")
    assert resp.status_code == 200
    assert resp.headers["Content-Crs"] == f"<{EPSG}{srid}>"
    x, y = resp.json()["geometry"]["coordinates"][0][0][0]
    query = sa.text(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointN(ST_ExteriorRing("
        "ST_GeometryN(geom, 1)), 1), :srid) AS p FROM land.admin_units WHERE unit_id = :u) s"
    )
    with loaded.connect() as conn:
        ex, ey = conn.execute(query, {"srid": srid, "u": uid}).one()
    assert abs(x - ex) < 0.01 and abs(y - ey) < 0.01


def test_epsg_4326_is_latitude_first_and_bbox_crs(api_server: str) -> None:
    crs84 = _get(api_server, f"{ITEMS}/2025-28261").json()["geometry"]["coordinates"][0][0][0]
    epsg = _get(api_server, f"{ITEMS}/2025-28261", crs=f"{EPSG}4326").json()
    lat, lon = epsg["geometry"]["coordinates"][0][0][0]
    assert (lon, lat) == tuple(crs84) and 10 < lat < 11 and 106 < lon < 107
    box = "106.355,10.350,106.365,10.356"
    lat_first = "10.350,106.355,10.356,106.365"
    a = _get(api_server, bbox=box, limit="100").json()["numberMatched"]
    b = _get(api_server, bbox=lat_first, limit="100", **{"bbox-crs": f"{EPSG}4326"}).json()["numberMatched"]
    assert a == b and 0 < a < 22


def test_number_matched_for_hits(api_server: str) -> None:
    body = _get(api_server, resulttype="hits").json()
    assert body["numberMatched"] == 22 and body["features"] == []


def test_csv_and_html_outputs(api_server: str) -> None:
    csv = requests.get(f"{api_server}{ITEMS}", params={"f": "csv", "limit": "100"}, timeout=30)
    assert csv.status_code == 200 and "text/csv" in csv.headers["Content-Type"]
    assert len(csv.text.strip().splitlines()) == 1 + 22
    html = requests.get(f"{api_server}{ITEMS}", params={"f": "html"}, timeout=30)
    assert html.status_code == 200 and "Phường" in html.text


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "name_vi = 'x''); DROP TABLE land.admin_units; --'"},
        {"filter": '"name_vi; DROP TABLE land.admin_units" = 1'},
        {"sortby": "name_vi; DROP TABLE land.admin_units"},
        {"properties": 'name_vi,"x"); DROP TABLE land.admin_units; --'},
        {"name_vi": "x' OR '1'='1"},
    ],
)
def test_hostile_input_never_reaches_sql(api_server: str, loaded: Engine, params: dict) -> None:
    resp = _get(api_server, **params)
    assert resp.status_code in (200, 400), resp.text
    if resp.status_code == 200:
        assert resp.json()["numberMatched"] == 0
    assert _scalar(loaded, "SELECT count(*) FROM land.admin_units") == 22


def test_hostile_item_id_is_a_404(api_server: str) -> None:
    resp = _get(api_server, f"{ITEMS}/x' OR '1'='1")
    assert resp.status_code == 404
    assert _get(api_server, f"{ITEMS}/2025-28261", foo="1").status_code == 400
