"""The lean page path answers what pygeoapi answers (api_config.fastpage): same status, headers and
parsed body but ``timeStamp``, for every published collection and several parameter combinations;
whatever it does not answer exactly goes to pygeoapi."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

IGNORED = {"date", "server", "connection", "x-dothi-path", "content-length"}


def _both(base: str, path: str, **headers: str) -> tuple[requests.Response, requests.Response]:
    lean = requests.get(f"{base}{path}", headers=headers, timeout=60)
    slow = requests.get(f"{base}{path}", headers={**headers, "X-Dothi-Path": "pygeoapi"}, timeout=60)
    return lean, slow


def _headers(response: requests.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in IGNORED}


def _body(response: requests.Response, *, stamped: bool = True) -> dict[str, Any]:
    body = response.json()
    stamp = body.pop("timeStamp", None)
    if not stamped:
        return body
    assert datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC) <= datetime.now(UTC)
    return body


def _collections(base: str) -> list[dict[str, Any]]:
    """Published feature collections with at least one feature, and that feature."""
    found = []
    listing = requests.get(f"{base}/collections", params={"f": "json"}, timeout=30).json()["collections"]
    for c in listing:
        if c["id"] == "catalogue" or c.get("itemType", "feature") != "feature":
            continue
        page = requests.get(
            f"{base}/collections/{c['id']}/items",
            params={"f": "json", "limit": 1},
            headers={"X-Dothi-Path": "pygeoapi"},
            timeout=30,
        )
        if page.status_code == 200 and page.json().get("features"):
            found.append({"id": c["id"], "feature": page.json()["features"][0]})
    return found


def _queries(feature: dict[str, Any]) -> list[str]:
    """Parameter combinations for one collection, built from its first feature."""
    props = feature["properties"]
    xs, ys = _coordinates(feature["geometry"])
    box = f"{min(xs)},{min(ys)},{max(xs)},{max(ys)}"
    queries = [
        "f=json",
        "f=json&limit=3",
        "limit=2&offset=1&f=json",
        "f=json&limit=1000",
        "f=json&offset=100000",  # past the end: no feature, a prev link
        f"f=json&bbox={box}&limit=5",
    ]
    names = list(props)
    if names:
        queries.append(f"f=json&properties={names[0]}&limit=4")
        queries.append(f"f=json&properties={','.join(names[:2])}&limit=4&offset=1")
    for name, value in props.items():
        if isinstance(value, str | int) and not isinstance(value, bool):
            queries.append(f"f=json&{name}={requests.utils.quote(str(value))}&limit=7")
            break
    return queries


def _coordinates(geometry: dict[str, Any]) -> tuple[list[float], list[float]]:
    flat: list[list[float]] = []

    def walk(value: Any) -> None:
        if value and isinstance(value[0], int | float):
            flat.append(value)
        else:
            for item in value:
                walk(item)

    walk(geometry["coordinates"])
    return [p[0] for p in flat], [p[1] for p in flat]


def test_same_page_as_pygeoapi_for_every_collection(api_server: str) -> None:
    cases = _collections(api_server)
    assert len(cases) >= 2  # admin units and the density indicator at least
    compared = 0
    for case in cases:
        for query in _queries(case["feature"]):
            for encoding in ("gzip", "identity"):
                path = f"/collections/{case['id']}/items?{query}"
                lean, slow = _both(api_server, path, **{"Accept-Encoding": encoding})
                assert lean.headers.get("X-Dothi-Path") == "lean", path
                assert "X-Dothi-Path" not in slow.headers
                assert lean.status_code == slow.status_code == 200, path
                assert _body(lean) == _body(slow), path
                assert _headers(lean) == _headers(slow), path
                compared += 1
    assert compared >= 2 * 2 * 8


def test_bbox_and_filter_select_what_pygeoapi_selects(api_server: str) -> None:
    """A page that is not the whole table: the bbox and the filter really narrow it."""
    feature = next(c for c in _collections(api_server) if c["id"] == "admin_units")["feature"]
    xs, ys = _coordinates(feature["geometry"])
    box = f"{min(xs)},{min(ys)},{(min(xs) + max(xs)) / 2},{(min(ys) + max(ys)) / 2}"
    everything = requests.get(f"{api_server}/collections/admin_units/items?f=json&limit=1000", timeout=30)
    lean, slow = _both(api_server, f"/collections/admin_units/items?f=json&limit=1000&bbox={box}")
    assert lean.headers.get("X-Dothi-Path") == "lean"
    assert 0 < len(lean.json()["features"]) < len(everything.json()["features"])
    assert _body(lean) == _body(slow)


@pytest.mark.parametrize(
    "query",
    [
        "",  # no f: content negotiation
        "f=html",
        "f=jsonld",
        "f=json&lang=en",
        "f=json&limit=0",
        "f=json&limit=abc",
        "f=json&limit=1001",
        "f=json&offset=-1",
        "f=json&offset=x",
        "f=json&bbox=1,2,3",
        "f=json&bbox=106,10,107,11,0,1",
        "f=json&bbox=1,2,3,x",
        "f=json&bbox=106,10,107,11&bbox-crs=http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "f=json&properties=nope",
        "f=json&nope=1",
        "f=json&limit=1&limit=2",
        "f=json&f=json",
        "f=json&sortby=-name_vi",
        "f=json&skipGeometry=true",
        "f=json&crs=http://www.opengis.net/def/crs/EPSG/0/3857",
        "f=json&resulttype=hits",
        "f=json&datetime=2025-01-01",
        "f=json&filter=name_vi%20IS%20NOT%20NULL",
        "f=json&vintage=notayear",  # the provider refuses the value: pygeoapi renders the 400
    ],
)
def test_everything_else_goes_to_pygeoapi(api_server: str, query: str) -> None:
    lean, slow = _both(api_server, f"/collections/admin_units/items?{query}")
    assert "X-Dothi-Path" not in lean.headers
    assert lean.status_code == slow.status_code
    if lean.status_code == 200 and "json" in lean.headers["Content-Type"]:
        assert _body(lean, stamped=False) == _body(slow, stamped=False)
    else:
        assert lean.content == slow.content


def test_accept_language_goes_to_pygeoapi(api_server: str) -> None:
    lean, _ = _both(api_server, "/collections/admin_units/items?f=json", **{"Accept-Language": "en"})
    assert "X-Dothi-Path" not in lean.headers


def test_guards_still_apply(api_server: str) -> None:
    """Input checks before the lean path, gzip, the Link and security headers after it."""
    base = f"{api_server}/collections/admin_units/items"
    refused = requests.get(f"{base}?f=json&skipGeometry=maybe", timeout=30)
    assert refused.status_code == 400 and "skipGeometry" in refused.text
    nul = requests.get(f"{base}?f=json&name_vi=%00", timeout=30)
    assert nul.status_code == 400
    raw = requests.get(f"{base}?f=json&limit=2", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    assert raw.headers["X-Dothi-Path"] == "lean"
    assert raw.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(raw.raw.read()).startswith(b'{"type":"FeatureCollection","features":[{')
    assert 'rel="self"' in raw.headers["Link"]
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    write = requests.post(f"{base}?f=json", json={"type": "Feature"}, timeout=30)
    assert write.status_code in (400, 401, 403, 405) and "X-Dothi-Path" not in write.headers
    # CORS answers the same on both paths
    lean, slow = _both(
        api_server, "/collections/admin_units/items?f=json&limit=2", Origin="https://example.org"
    )
    assert lean.headers["X-Dothi-Path"] == "lean"
    assert _headers(lean) == _headers(slow)


@pytest.mark.parametrize("value", ["Phường 1", "á<b>&c", "x%2By"])
def test_values_in_links_escaped_as_pygeoapi(api_server: str, value: str) -> None:
    """Non-ASCII, ``<``/``>`` (pygeoapi writes ``&lt;``/``&gt;``) and ``+`` in a filter value."""
    path = f"/collections/admin_units/items?f=json&name_vi={requests.utils.quote(value, safe='%')}"
    lean, slow = _both(api_server, path)
    assert lean.headers.get("X-Dothi-Path") == "lean"
    assert lean.status_code == slow.status_code == 200
    assert _body(lean) == _body(slow)
