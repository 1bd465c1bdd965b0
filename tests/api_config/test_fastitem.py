"""The lean single-feature path answers what pygeoapi answers (api_config.fastitem): the same
status, headers and document.  The feature's text is written by PostgreSQL, so the bytes may differ
where JSON allows (numbers as PostgreSQL prints them, non-ASCII characters unescaped); errors and
every other request are pygeoapi's own bytes."""

from __future__ import annotations

import gzip

import pytest
import requests

IGNORED = {"date", "server", "connection", "x-dothi-path", "content-length"}


def _both(base: str, path: str, **headers: str) -> tuple[requests.Response, requests.Response]:
    lean = requests.get(f"{base}{path}", headers=headers, timeout=30)
    slow = requests.get(f"{base}{path}", headers={**headers, "X-Dothi-Path": "pygeoapi"}, timeout=30)
    return lean, slow


def _published_with_features(base: str) -> list[tuple[str, str]]:
    found = []
    collections = requests.get(f"{base}/collections", params={"f": "json"}, timeout=30).json()["collections"]
    for c in collections:
        if c["id"] == "catalogue" or c.get("itemType", "feature") != "feature":
            continue
        page = requests.get(
            f"{base}/collections/{c['id']}/items", params={"f": "json", "limit": 1}, timeout=30
        )
        if page.status_code == 200 and page.json().get("features"):
            found.append((c["id"], str(page.json()["features"][0]["id"])))
    return found


def test_same_response_as_pygeoapi_for_every_collection(api_server: str) -> None:
    cases = _published_with_features(api_server)
    assert len(cases) >= 2  # admin units and the density indicator at least
    for collection, fid in cases:
        for encoding in ("gzip", "identity"):
            path = f"/collections/{collection}/items/{fid}?f=json"
            lean, slow = _both(api_server, path, **{"Accept-Encoding": encoding})
            assert lean.headers.get("X-Dothi-Path") == "lean", path
            assert "X-Dothi-Path" not in slow.headers
            assert lean.status_code == slow.status_code == 200
            assert lean.json() == slow.json(), path
            assert list(lean.json()) == list(slow.json()), path  # members in pygeoapi's order
            assert b"<" not in lean.content and b">" not in lean.content  # escaped as pygeoapi does
            strip = {k.lower(): v for k, v in lean.headers.items() if k.lower() not in IGNORED}
            assert strip == {k.lower(): v for k, v in slow.headers.items() if k.lower() not in IGNORED}, path


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/collections/admin_units/items/nope?f=json", {}),  # unknown id: pygeoapi's 404
        ("/collections/admin_units/items/{fid}?f=html", {}),
        ("/collections/admin_units/items/{fid}?f=json&lang=en", {}),
        ("/collections/admin_units/items/{fid}?f=json", {"Accept-Language": "en"}),
        ("/collections/admin_units/items/{fid}?f=json&crs=http://www.opengis.net/def/crs/EPSG/0/3857", {}),
    ],
)
def test_everything_else_goes_to_pygeoapi(api_server: str, path: str, headers: dict[str, str]) -> None:
    fid = dict(_published_with_features(api_server))["admin_units"]
    lean, slow = _both(api_server, path.format(fid=fid), **headers)
    assert "X-Dothi-Path" not in lean.headers
    assert lean.status_code == slow.status_code
    assert lean.content == slow.content


def test_gzip_body_is_the_json(api_server: str) -> None:
    fid = dict(_published_with_features(api_server))["admin_units"]
    raw = requests.get(
        f"{api_server}/collections/admin_units/items/{fid}?f=json",
        headers={"Accept-Encoding": "gzip"},
        stream=True,
        timeout=30,
    )
    assert raw.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(raw.raw.read())
    assert b'"type":"Feature"' in body


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math

    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


@pytest.mark.parametrize("z", [9, 12, 15])
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_tiles_same_as_pygeoapi(api_server: str, z: int, encoding: str) -> None:
    col, row = _tile(106.36, 10.353, z)
    path = f"/collections/admin_units/tiles/WebMercatorQuad/{z}/{row}/{col}?f=mvt"
    lean, slow = _both(api_server, path, **{"Accept-Encoding": encoding})
    assert lean.headers.get("X-Dothi-Path") == "lean"
    assert "X-Dothi-Path" not in slow.headers
    assert lean.status_code == slow.status_code == 200
    assert lean.content == slow.content and len(lean.content) > 0
    strip = {k.lower(): v for k, v in lean.headers.items() if k.lower() not in IGNORED}
    assert strip == {k.lower(): v for k, v in slow.headers.items() if k.lower() not in IGNORED}


@pytest.mark.parametrize(
    "path",
    [
        "/collections/admin_units/tiles/WebMercatorQuad/10/{empty_row}/{empty_col}?f=mvt",  # 204
        "/collections/admin_units/tiles/WebMercatorQuad/30/1/1?f=mvt",  # 404
        "/collections/admin_units/tiles/WebMercatorQuad/12/{row}/{col}",  # no f
    ],
)
def test_other_tile_requests_go_to_pygeoapi(api_server: str, path: str) -> None:
    col, row = _tile(106.36, 10.353, 12)
    empty_col, empty_row = _tile(-40.0, 0.0, 10)
    url = path.format(row=row, col=col, empty_row=empty_row, empty_col=empty_col)
    lean, slow = _both(api_server, url)
    assert "X-Dothi-Path" not in lean.headers
    assert (lean.status_code, lean.content) == (slow.status_code, slow.content)


@pytest.mark.parametrize(
    "fid",
    [
        "nope",  # unknown: pygeoapi's 404
        "%0D%0AX-Injected:%201",  # CR/LF
        "a%00b",  # NUL
        "%27%3B%20drop%20table%20x%3B--",  # quotes
        "%22%5C",  # a double quote and a backslash
        "9" * 400,  # a huge number
        "-1e309",
        "%E1%BB%8F",  # non-ASCII
    ],
)
def test_hostile_ids_answer_as_pygeoapi(api_server: str, fid: str) -> None:
    """Whatever the id, the lean path answers what pygeoapi answers (a 4xx problem, never a 5xx),
    with no header a client's id could have written."""
    for collection in ("admin_units", "population_density-ward-2025"):
        lean, slow = _both(api_server, f"/collections/{collection}/items/{fid}?f=json")
        assert lean.status_code == slow.status_code, (collection, fid)
        assert 400 <= lean.status_code < 500, (collection, fid, lean.status_code)
        assert lean.content == slow.content
        assert "X-Injected" not in lean.headers


@pytest.mark.parametrize(
    "query",
    ["f=json&skipGeometry=maybe", "f=json&limit=1", "f=json&crs=" + "9" * 300, "f=json&lang=xx", "f=json%00"],
)
def test_bad_parameters_of_a_single_feature_are_400(api_server: str, query: str) -> None:
    fid = dict(_published_with_features(api_server))["admin_units"]
    lean, slow = _both(api_server, f"/collections/admin_units/items/{fid}?{query}")
    assert "X-Dothi-Path" not in lean.headers
    assert lean.status_code == slow.status_code
    assert 400 <= lean.status_code < 500, (query, lean.status_code)


def test_answers_name_dothi_not_the_server(api_server: str) -> None:
    fid = dict(_published_with_features(api_server))["admin_units"]
    lean = requests.get(f"{api_server}/collections/admin_units/items/{fid}?f=json", timeout=30)
    assert lean.headers.get("X-Dothi-Path") == "lean"
    assert lean.headers["Server"] == "dothi"
    assert lean.headers["X-Content-Type-Options"] == "nosniff"
