"""Issue 11, finding 1: hostile values through every entry point of OGC API – Features.

Before the fix, a carriage return in any value ended the ``--`` comment of ``items.sql`` that a
placeholder had been composed into, and what followed ran as SQL (``pg_sleep``, ``CREATE TABLE``,
``COPY … TO PROGRAM``).  Each payload below would either delay the request (``pg_sleep``) or create a
marker table if it ever ran; the request must be answered 4xx or filtered correctly (no match),
quickly, and the marker must not exist.
"""

from __future__ import annotations

import json
import time

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Engine

ITEMS = "/collections/admin_units/items"
SLEEP_S = 3
MARKER = "injection_marker"

#: Values that end a comment, a literal or an identifier, then run SQL.
PAYLOADS = [
    f"\rSELECT pg_sleep({SLEEP_S}); --",
    f"\nSELECT pg_sleep({SLEEP_S}); --",
    f"\r\nSET TRANSACTION READ WRITE; CREATE TABLE public.{MARKER}(); --",
    f"'; SELECT pg_sleep({SLEEP_S}); --",
    f"x'); SELECT pg_sleep({SLEEP_S}); --",
    f"*/ SELECT pg_sleep({SLEEP_S}); /*",
    f'"; SELECT pg_sleep({SLEEP_S}); --',
    f"\\'; SELECT pg_sleep({SLEEP_S}); --",
    f"$$; SELECT pg_sleep({SLEEP_S}); --",
    "x\x00y",
]


def _cql_text(value: str) -> str:
    return "name_vi = '" + value.replace("'", "''") + "'"


def _cql_json(value: str) -> str:
    return json.dumps({"op": "=", "args": [{"property": "name_vi"}, value]})


def _marker_exists(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": MARKER}).scalar())


def _check(resp: requests.Response, elapsed: float, engine: Engine) -> None:
    assert resp.status_code < 500, resp.text
    assert elapsed < SLEEP_S - 0.5, f"the request took {elapsed:.1f} s: SQL from the value ran"
    if resp.status_code == 200:
        body = resp.json()
        assert body.get("numberReturned", len(body.get("features", []))) == 0, body
    else:
        assert 400 <= resp.status_code < 500
        assert resp.json()["description"], resp.text
    assert not _marker_exists(engine)


def _get(base: str, path: str, params: dict[str, str]) -> tuple[requests.Response, float]:
    t0 = time.perf_counter()
    resp = requests.get(f"{base}{path}", params={"f": "json", **params}, timeout=30)
    return resp, time.perf_counter() - t0


ENTRY_POINTS = {
    "property": lambda v: {"name_vi": v},
    "property-number": lambda v: {"population": v},
    "cql2-text": lambda v: {"filter": _cql_text(v)},
    "cql2-text-like": lambda v: {"filter": "name_vi LIKE '" + v.replace("'", "''") + "%'"},
    "cql2-json": lambda v: {"filter": _cql_json(v), "filter-lang": "cql2-json"},
    "sortby": lambda v: {"sortby": v},
    "properties": lambda v: {"properties": v},
    "bbox": lambda v: {"bbox": f"106.3,10.3,106.4,{v}"},
    "bbox-crs": lambda v: {"bbox": "106.3,10.3,106.4,10.4", "bbox-crs": v},
    "datetime": lambda v: {"datetime": v},
    "crs": lambda v: {"crs": v},
    "limit": lambda v: {"limit": v},
    "offset": lambda v: {"offset": v},
    "lang": lambda v: {"lang": v},
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_items_get(api_server: str, loaded: Engine, entry: str, payload: str) -> None:
    resp, elapsed = _get(api_server, ITEMS, ENTRY_POINTS[entry](payload))
    _check(resp, elapsed, loaded)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_items_post_cql2_json(api_server: str, loaded: Engine, payload: str) -> None:
    t0 = time.perf_counter()
    resp = requests.post(
        f"{api_server}{ITEMS}?f=json",
        data=_cql_json(payload).encode("utf-8"),
        headers={"Content-Type": "application/query-cql-json"},
        timeout=30,
    )
    _check(resp, time.perf_counter() - t0, loaded)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_single_item_id(api_server: str, loaded: Engine, payload: str) -> None:
    t0 = time.perf_counter()
    resp = requests.get(f"{api_server}{ITEMS}/{requests.utils.quote(payload, safe='')}", timeout=30)
    elapsed = time.perf_counter() - t0
    assert resp.status_code in (400, 404), resp.text
    assert elapsed < SLEEP_S - 0.5
    assert not _marker_exists(loaded)


@pytest.mark.parametrize("payload", PAYLOADS[:3], ids=range(3))
@pytest.mark.parametrize("collection", ["population_density"])
def test_indicator_collection(api_server: str, loaded: Engine, collection: str, payload: str) -> None:
    path = f"/collections/{collection}/items"
    for params in ({"unit_id": payload}, {"filter": "unit_id = '" + payload.replace("'", "''") + "'"}):
        resp, elapsed = _get(api_server, path, params)
        _check(resp, elapsed, loaded)


def test_a_legitimate_value_with_quotes_and_dashes_still_filters(api_server: str, loaded: Engine) -> None:
    """Hostile-looking text is data: a real name with a quote or ``--`` is matched exactly."""
    with loaded.begin() as conn:
        name = conn.execute(sa.text("SELECT name_vi FROM land.admin_units ORDER BY unit_id LIMIT 1")).scalar()
    resp, _ = _get(api_server, ITEMS, {"filter": _cql_text(name)})
    assert resp.status_code == 200 and resp.json()["numberReturned"] >= 1
