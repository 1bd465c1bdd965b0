"""HTTP tests of the running server (gunicorn + pygeoapi on loopback, test database)."""

from __future__ import annotations

import requests


def _get(base: str, path: str, **params: str) -> requests.Response:
    params.setdefault("f", "json")
    return requests.get(f"{base}{path}", params=params, timeout=30)


def test_landing_page_and_conformance(api_server: str) -> None:
    landing = _get(api_server, "/")
    assert landing.status_code == 200
    rels = {link["rel"] for link in landing.json()["links"]}
    assert {"service-desc", "conformance", "data"} <= rels
    conf = _get(api_server, "/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf


def test_collections_list_wards_and_density_in_both_languages(api_server: str) -> None:
    vi = {c["id"]: c for c in _get(api_server, "/collections", lang="vi").json()["collections"]}
    en = {c["id"]: c for c in _get(api_server, "/collections", lang="en").json()["collections"]}
    assert {"admin_units", "population_density"} <= set(vi)
    assert vi["admin_units"]["title"].startswith("Đơn vị hành chính")
    assert en["admin_units"]["title"].startswith("Administrative units")
    bbox = vi["admin_units"]["extent"]["spatial"]["bbox"][0]
    assert 106.2 < bbox[0] < bbox[2] < 106.5 and 10.2 < bbox[1] < bbox[3] < 10.5


def test_items_are_valid_geojson_with_paging(api_server: str) -> None:
    resp = _get(api_server, "/collections/admin_units/items", limit="10")
    assert resp.status_code == 200
    body = resp.json()
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == len(body["features"]) == 10
    assert body["numberMatched"] == 22
    nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
    assert nxt and "offset=10" in nxt[0]
    for feature in body["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "MultiPolygon"
        ring = feature["geometry"]["coordinates"][0][0]
        assert ring[0] == ring[-1]
    last = _get(api_server, "/collections/admin_units/items", limit="10", offset="20").json()
    assert last["numberReturned"] == 2
    assert not [link for link in last["links"] if link["rel"] == "next"]


def test_vietnamese_names_survive_the_round_trip(api_server: str) -> None:
    body = _get(api_server, "/collections/admin_units/items", limit="100").json()
    names = {f["properties"]["name_vi"] for f in body["features"]}
    assert {"Phường Tân Long", "Xã Thới Sơn", "Phường Mỹ Tho", "Phường Đạo Thạnh"} <= names
    pop = sum(
        f["properties"]["population"] or 0 for f in body["features"] if f["properties"]["vintage"] == 2019
    )
    assert pop == 228_109


def test_single_item_and_missing_item(api_server: str) -> None:
    item = _get(api_server, "/collections/admin_units/items/2025-28261").json()
    assert item["id"] == "2025-28261" and item["properties"]["name_vi"] == "Phường Mỹ Tho"
    density = _get(api_server, "/collections/population_density/items/ward:2019-8070125").json()
    assert density["properties"]["density_per_km2"] > 0
    assert _get(api_server, "/collections/admin_units/items/nope").status_code == 404


def test_bad_parameters_give_400_with_a_message(api_server: str) -> None:
    for params in ({"limit": "abc"}, {"limit": "-1"}, {"bbox": "1,2,3"}, {"offset": "x"}):
        resp = _get(api_server, "/collections/admin_units/items", **params)
        assert resp.status_code == 400, params
        assert resp.json()["description"], params
    assert _get(api_server, "/collections/nothing/items").status_code == 404


def test_bbox_filter_selects_a_subset(api_server: str) -> None:
    # a small box around central Mỹ Tho (Phường 1–4)
    body = _get(
        api_server, "/collections/admin_units/items", bbox="106.355,10.350,106.365,10.356", limit="100"
    ).json()
    assert 0 < body["numberReturned"] < 22


def test_queryables_carry_titles_in_the_request_language(api_server: str) -> None:
    from layers.catalog import ADMIN_UNITS

    attrs = {a.name: a for a in ADMIN_UNITS.attributes}
    for lang, expected in (("en", "title_en"), ("vi", "title_vi")):
        resp = _get(api_server, "/collections/admin_units/queryables", f="json", lang=lang)
        assert resp.status_code == 200
        props = resp.json()["properties"]
        for name in ("name_vi", "population", "vintage"):
            assert props[name]["title"] == getattr(attrs[name], expected), (lang, name)
            assert attrs[name].title_en in props[name]["description"]
            assert attrs[name].title_vi in props[name]["description"]
