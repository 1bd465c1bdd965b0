"""Bad input and faults get a clear 4xx/503, never a 5xx (issue 11, item 5); true
Content-Encoding; one log line per 4xx; security headers."""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy.engine import URL, Engine

from api_config.guard import logs
from tests.api_config.tcpproxy import TcpRelay
from tests.conftest import _serve, bearer

ITEMS = "/collections/admin_units/items"
EXECUTION = "/processes/population_density-run/execution"


def _ogc_error(resp: requests.Response, status: int, *words: str) -> None:
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert {"code", "description"} <= set(body)
    for word in words:
        assert word in body["description"], body["description"]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"limit": "true"}, "'limit'"),
        ({"limit": "1.5"}, "'limit'"),
        ({"limit": "0"}, "'limit'"),
        ({"limit": "99999999999999999999999999"}, "'limit'"),
        ({"offset": "-1"}, "'offset'"),
        ({"offset": "true"}, "'offset'"),
        ({"offset": "99999999999999999999999"}, "'offset'"),
        ({"bbox": "nan,nan,nan,nan"}, "'bbox'"),
        ({"bbox": "0,0,inf,1"}, "'bbox'"),
        ({"bbox": "106,11,107,10"}, "'bbox'"),
    ],
)
def test_wrong_types_are_400_naming_the_parameter(api_server: str, params: dict[str, str], word: str) -> None:
    _ogc_error(requests.get(f"{api_server}{ITEMS}", params={"f": "json", **params}, timeout=30), 400, word)


def test_invalid_utf8_in_query_path_and_body_is_400(api_server: str) -> None:
    _ogc_error(
        requests.get(f"{api_server}{ITEMS}?f=json&name_vi=%ff%fe", timeout=30), 400, "'name_vi'", "UTF-8"
    )
    _ogc_error(requests.get(f"{api_server}{ITEMS}/%ff?f=json", timeout=30), 400, "UTF-8")
    for path in (ITEMS, EXECUTION):
        resp = requests.post(
            f"{api_server}{path}",
            data=b'\xff\xfe{"a"',
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert 400 <= resp.status_code < 500, resp.status_code  # 401 once execution needs a key
        if resp.status_code == 400:
            _ogc_error(resp, 400, "UTF-8")


def test_empty_or_untyped_post_to_items_is_4xx(api_server: str, api_keys: dict[str, str]) -> None:
    # a POST that does not say it is a query is a write: anonymous → 401, with a key → checked
    assert requests.post(f"{api_server}{ITEMS}", timeout=30).status_code == 401
    key = bearer(api_keys["alice"])
    _ogc_error(requests.post(f"{api_server}{ITEMS}", headers=key, timeout=30), 400, "empty")
    _ogc_error(
        requests.post(
            f"{api_server}{ITEMS}", data=b"", headers={"Content-Type": "application/json"}, timeout=30
        ),
        400,
        "empty",
    )
    _ogc_error(
        requests.post(f"{api_server}{ITEMS}", data=b'{"op": "="}', headers=key, timeout=30),
        415,
        "Content-Type",
    )
    _ogc_error(requests.post(f"{api_server}{ITEMS}", json=[1, 2], timeout=30), 400, "JSON object")
    # a real CQL2 JSON search still works
    cql = {"op": "=", "args": [{"property": "vintage"}, 2019]}
    ok = requests.post(f"{api_server}{ITEMS}", params={"f": "json", "limit": 1}, json=cql, timeout=30)
    assert ok.status_code == 200 and ok.json()["numberMatched"] == 17


@pytest.mark.parametrize(
    ("body", "word"),
    [
        (b"[]", "an array"),
        (b'"inputs"', "a string"),
        (b"42", "a number"),
        (b"null", "null"),
        (b'{"inputs": [1]}', "'inputs'"),
        (b'{"inputs": {}, "outputs": 3}', "'outputs'"),
        (b'{"inputs": {}, "response": "everything"}', "'response'"),
        (b"{not json", "not valid JSON"),
        (b"", "empty"),
    ],
)
def test_non_object_execute_requests_are_4xx(api_server: str, body: bytes, word: str) -> None:
    resp = requests.post(
        f"{api_server}{EXECUTION}", data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    # the shape is checked before anything runs: a 400 naming the member (or 401/403 once
    # execution needs an API key, if authentication is checked first)
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:200])
    if resp.status_code == 400:
        _ogc_error(resp, 400, word)


@pytest.mark.parametrize(
    ("params", "status", "word"),
    [
        ({"bbox": "0,0,1,1"}, 400, "does not overlap"),
        ({"bbox": "0,0,0,0"}, 400, "does not overlap"),
        ({"bbox": "nan,nan,nan,nan"}, 400, "'bbox'"),
        ({"bbox": "-inf,0,inf,1"}, 400, "'bbox'"),
        ({"bbox": "106.3,10.4,106.31,10.3"}, 400, "'bbox'"),
        ({"bbox": "106.3,10.33,106.31,10.34", "bbox-crs": "EPSG:nope"}, 400, "'bbox-crs'"),
        ({"subset": "x(nan:nan),y(nan:nan)"}, 400, "'subset'"),
        ({"subset": "x(abc)"}, 400, "'subset'"),
        ({"subset": "x(641000)"}, 400, "'subset'"),
        ({"subset": "((("}, 400, "'subset'"),
        ({"subset": "x(0:1),y(0:1)"}, 400, "does not overlap"),
    ],
)
def test_bad_coverage_requests_are_400(
    demo_api_server: str, params: dict[str, str], status: int, word: str
) -> None:
    resp = requests.get(
        f"{demo_api_server}/collections/elevation/coverage", params={"f": "json", **params}, timeout=60
    )
    _ogc_error(resp, status, word)


@pytest.mark.parametrize(
    "params",
    [
        {"subset": "x(0:1e300),y(0:1e300)"},  # crashed the worker (SIGSEGV in GDAL)
        {"bbox": "-180,-90,180,90"},
        {"bbox": "106.3,10.33,106.3000001,10.33"},  # less than a pixel
        {"properties": "1,1,1"},  # a band named three times (GDAL's shape mismatch)
    ],
)
def test_huge_or_tiny_coverage_windows_are_clipped(demo_api_server: str, params: dict[str, str]) -> None:
    for f in ("json", "GTiff"):
        resp = requests.get(
            f"{demo_api_server}/collections/elevation/coverage", params={"f": f, **params}, timeout=60
        )
        assert resp.status_code == 200, (f, resp.status_code, resp.text[:200])
        assert resp.content


def _raw(url: str, **params: str) -> tuple[requests.Response, bytes]:
    resp = requests.get(url, params=params, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    return resp, resp.raw.read(decode_content=False)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/collections", {"f": "xyz"}),
        ("/", {"f": "xyz"}),
        ("/conformance", {"f": "xyz"}),
        ("/collections/admin_units", {"f": "xyz"}),
        (ITEMS, {"f": "xyz"}),
        (ITEMS, {"f": "json", "limit": "x"}),  # the input guard's 400
        (ITEMS, {"f": "json", "skipGeometry": "maybe"}),  # the request guard's 400
        (f"{ITEMS}/nope", {"f": "json"}),
        (ITEMS, {"f": "json", "limit": "2"}),
        ("/processes", {"f": "xyz"}),
        ("/collections/admin_units/tiles", {"f": "xyz"}),
    ],
)
def test_content_encoding_is_true(api_server: str, path: str, params: dict[str, str]) -> None:
    resp, raw = _raw(f"{api_server}{path}", **params)
    if resp.headers.get("Content-Encoding") == "gzip":
        assert raw.startswith(b"\x1f\x8b"), raw[:40]
        raw = gzip.decompress(raw)
    else:
        assert "Content-Encoding" not in resp.headers
    assert raw.lstrip().startswith(b"{"), raw[:80]
    assert int(resp.headers.get("Content-Length", len(raw))) > 0


def test_lean_single_feature_is_gzipped_when_asked(api_server: str) -> None:
    first = requests.get(f"{api_server}{ITEMS}", params={"f": "json", "limit": 1}, timeout=30).json()
    resp, raw = _raw(f"{api_server}{ITEMS}/{first['features'][0]['id']}", f="json")
    assert resp.headers["X-Dothi-Path"] == "lean" and resp.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(raw).startswith(b"{")


def _log_tail(path: Path, since: int) -> list[str]:
    time.sleep(0.5)  # gunicorn's stderr is line-buffered per worker
    return path.read_text(encoding="utf-8", errors="replace")[since:].splitlines()


def test_a_4xx_is_one_log_line(api_server: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    log = tmp_path_factory.getbasetemp() / "gunicorn.log"
    for params in ({"f": "json", "use": "x"}, {"f": "json", "limit": "x"}, {"f": "xyz"}, {"filter": "("}):
        since = len(log.read_text(encoding="utf-8", errors="replace"))
        resp = requests.get(f"{api_server}{ITEMS}", params=params, timeout=30)
        assert 400 <= resp.status_code < 500
        lines = [line for line in _log_tail(log, since) if not line.startswith("127.0.0.1 - ")]
        assert len(lines) <= 1, lines
        assert not any("Traceback" in line for line in lines)


def test_log_filter_keeps_tracebacks_of_5xx() -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(logs.ClientErrorFilter())
    logger = logging.getLogger("pygeoapi.api")
    logger.addHandler(handler)
    try:
        api = SimpleNamespace(pretty_print=False)  # what get_exception reads of the API for JSON
        for status in (400, 500):
            try:
                raise ValueError("line one\nline two")
            except ValueError:
                # pygeoapi's own API.get_exception, as wrapped by logs.configure()
                logs._get_exception(api, status, {}, "json", "InvalidParameterValue", "bad\nthing")  # type: ignore[arg-type]
    finally:
        logger.removeHandler(handler)
    client, server = records
    assert server.exc_info is not None  # 5xx keeps its traceback
    assert client.exc_info is None and "\n" not in client.getMessage() and "HTTP 400" in client.getMessage()


def test_security_headers(api_server: str) -> None:
    for path, params in (
        ("/", {"f": "json"}),
        (ITEMS, {"f": "html"}),
        ("/map/", {}),
        (ITEMS, {"limit": "x"}),
    ):
        resp = requests.get(f"{api_server}{path}", params=params, timeout=30)
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "no-referrer")
        assert "gunicorn" not in resp.headers.get("Server", "").lower()
        assert "X-Powered-By" not in resp.headers  # pygeoapi sent its version
        if resp.headers["Content-Type"].startswith("text/html"):
            csp = resp.headers["Content-Security-Policy"]
            assert (
                "frame-ancestors 'self'" in csp
                and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
            )


# -- the database goes away -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def relayed_server(
    loaded: Engine, test_url: URL, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, TcpRelay]]:
    """`dothi serve` reaching the test database through a TCP relay the test can cut."""
    relay = TcpRelay((test_url.host or "127.0.0.1", int(test_url.port or 5432)))
    relay.up()
    url = test_url.set(host="127.0.0.1", port=relay.port)
    served = _serve(
        loaded, url, tmp_path_factory.mktemp("relayed"), tmp_path_factory.getbasetemp() / "relayed.log"
    )
    base = next(served)
    yield base, relay
    if relay.is_down:
        relay.up()
    next(served, None)


DB_PATHS = [
    ("/collections/admin_units/items", {"f": "json", "limit": "2"}),  # features
    ("/collections/admin_units/items/{fid}", {"f": "json"}),  # single feature (lean path)
    ("/collections/admin_units/items/{fid}", {"f": "html"}),  # single feature (pygeoapi)
    ("/collections/admin_units/tiles/WebMercatorQuad/14/7717/13032", {"f": "mvt"}),  # tiles (lean)
    ("/collections/catalogue/items", {"f": "json"}),  # records
    ("/jobs", {"f": "json"}),  # processes' job manager
]


def test_database_down_is_503_with_retry_after_then_recovers(
    relayed_server: tuple[str, TcpRelay], api_keys: dict[str, str]
) -> None:
    base, relay = relayed_server
    key = bearer(api_keys["ana"])  # /jobs needs a key; checking it needs the database too
    fid = requests.get(f"{base}{ITEMS}", params={"f": "json", "limit": 1}, timeout=30).json()["features"][0][
        "id"
    ]
    paths = [(p.format(fid=fid), q) for p, q in DB_PATHS]
    before = {p: requests.get(f"{base}{p}", params=q, headers=key, timeout=30).status_code for p, q in paths}
    assert all(code in (200, 204) for code in before.values()), before
    relay.down()
    try:
        for path, params in paths:
            for _ in range(2):  # both workers, pooled connections cut
                resp = requests.get(f"{base}{path}", params=params, headers=key, timeout=60)
                assert resp.status_code == 503, (path, resp.status_code, resp.text[:300])
                assert int(resp.headers["Retry-After"]) > 0
        execute = requests.post(f"{base}{EXECUTION}", json={"inputs": {}}, headers=key, timeout=60)
        assert execute.status_code == 503, (execute.status_code, execute.text[:300])
        assert int(execute.headers["Retry-After"]) > 0
    finally:
        relay.up()
    after = {p: requests.get(f"{base}{p}", params=q, headers=key, timeout=30).status_code for p, q in paths}
    assert after == before


def test_invalid_geometry_literal_in_a_filter_is_400(api_server: str) -> None:
    # an unclosed ring reaches GEOS inside PostGIS (InternalError, was a 500)
    ring = [[106, 10], [107, 10], [107, 11]]
    cql = {
        "op": "not",
        "args": [
            {"op": "s_overlaps", "args": [{"type": "Polygon", "coordinates": [ring]}, {"property": "geom"}]}
        ],
    }
    resp = requests.post(f"{api_server}{ITEMS}", json=cql, timeout=30)
    _ogc_error(resp, 400, "'filter'", "geometry")
    text = "NOT S_OVERLAPS(POLYGON((106 10, 107 10, 107 11)), geom)"
    _ogc_error(
        requests.get(f"{api_server}{ITEMS}", params={"f": "json", "filter": text}, timeout=30),
        400,
        "'filter'",
    )


def test_jsonld_of_an_empty_page_is_json(api_server: str) -> None:
    # pygeoapi's template left a trailing comma when no feature matched
    resp = requests.get(f"{api_server}{ITEMS}", params={"f": "jsonld", "name_vi": 'x"y'}, timeout=30)
    assert resp.status_code == 200 and resp.json()["type"] == "FeatureCollection"


# -- contract gaps (issue 11, item 6) -------------------------------------------------------------


def test_tilesets_follow_ogc_api_tiles_and_the_document(api_server: str) -> None:
    doc = requests.get(f"{api_server}/openapi", params={"f": "json"}, timeout=60).json()
    body = requests.get(
        f"{api_server}/collections/admin_units/tiles", params={"f": "json"}, timeout=30
    ).json()
    assert body["tilesets"], body
    for tileset in body["tilesets"]:
        # OGC API - Tiles 1.0, tileSet-item: dataType, crs, links (self + tiling-scheme); the URI of
        # a registered tile matrix set
        assert tileset["dataType"] == "vector" and tileset["crs"].startswith("http")
        assert tileset["tileMatrixSetURI"].endswith("/WebMercatorQuad")
        rels = {link["rel"] for link in tileset["links"]}
        assert {"self", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"} <= rels
    declared = doc["paths"]["/collections/admin_units/tiles"]["get"]["responses"]["200"]["$ref"]
    response = doc["components"]["responses"][declared.rsplit("/", 1)[-1]]
    while "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    assert response["content"]["application/json"]["schema"]["required"] == ["tilesets"]


def test_queryables_content_type_is_the_documented_one(api_server: str) -> None:
    doc = requests.get(f"{api_server}/openapi", params={"f": "json"}, timeout=60).json()
    for what in ("queryables", "schema"):
        resp = requests.get(f"{api_server}/collections/admin_units/{what}", params={"f": "json"}, timeout=30)
        ref = doc["paths"][f"/collections/admin_units/{what}"]["get"]["responses"]["200"]["$ref"]
        declared = doc["components"]["responses"][ref.rsplit("/", 1)[-1]]["content"]
        assert resp.headers["Content-Type"].split(";")[0] in declared, (
            resp.headers["Content-Type"],
            declared,
        )
        assert resp.headers["Content-Type"].startswith("application/schema+json")


def test_no_pygeoapi_version_banner(api_server: str) -> None:
    import pygeoapi

    document = requests.get(f"{api_server}/openapi", params={"f": "json"}, timeout=30).json()
    assert document["info"]["version"] != pygeoapi.__version__
    landing = requests.get(f"{api_server}/", params={"f": "html"}, timeout=30).text
    assert f"pygeoapi {pygeoapi.__version__}" not in landing
