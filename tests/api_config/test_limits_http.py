"""Bounded requests on a real server: the time budget (503), threads serving a cheap request
while slow ones run, the body size limit (413) and the per-client execution rate (429)."""

from __future__ import annotations

import threading
import time

import requests

from tests.api_config.limits_server import (
    SLEEP,
    SLOW_FILTER,
    LimitsServer,
    headers,
)

ITEMS = "/collections/buildings/items"


def _slow(base: str) -> requests.Response:
    return requests.get(f"{base}{ITEMS}", params={"f": "json", "filter": SLOW_FILTER}, timeout=120)


def test_two_statements_over_the_budget_are_503(limits_server: LimitsServer) -> None:
    api = limits_server.api
    t0 = time.monotonic()
    resp = _slow(limits_server.base)
    seconds = time.monotonic() - t0
    print(
        f"\nslow statement {limits_server.statement_ms:.0f} ms; budget {api.request_budget_ms} ms; "
        f"statement timeout {api.statement_timeout_ms} ms; request answered in {seconds * 1000:.0f} ms"
    )
    assert resp.status_code == 503, resp.text
    body = resp.json()
    assert "time budget" in body["description"] and "thời gian cho phép" in body["description"]
    # cut by the budget: well before the statement timeout
    assert api.request_budget_ms / 1000 * 0.9 < seconds < api.statement_timeout_ms / 1000


def test_a_cheap_request_is_served_while_two_slow_ones_run(limits_server: LimitsServer) -> None:
    ends: list[float] = []

    def slow() -> None:
        _slow(limits_server.base)
        ends.append(time.monotonic())

    slow_threads = [threading.Thread(target=slow) for _ in range(2)]
    t0 = time.monotonic()
    for t in slow_threads:
        t.start()
    time.sleep(0.2)
    sent = time.monotonic()
    resp = requests.get(
        f"{limits_server.base}/collections/admin_units/items", params={"f": "json", "limit": 1}, timeout=30
    )
    cheap = time.monotonic() - sent
    answered = time.monotonic()
    for t in slow_threads:
        t.join()
    print(
        f"\ncheap request {cheap * 1000:.0f} ms while two slow ones ran "
        f"({(min(ends) - t0) * 1000:.0f} and {(max(ends) - t0) * 1000:.0f} ms)"
    )
    assert resp.status_code == 200
    assert cheap < 1.0
    assert min(ends) > answered  # both slow requests were still running


def test_body_size_limit(limits_server: LimitsServer) -> None:
    url = f"{limits_server.base}/processes/{SLEEP}/execution"
    big = b'{"inputs": {"seconds": 0, "pad": "' + b"x" * 5000 + b'"}}'
    resp = requests.post(
        url, data=big, headers=headers("198.51.100.1", **{"Content-Type": "application/json"}), timeout=30
    )
    assert resp.status_code == 413
    assert (
        "at most 4096 bytes" in resp.json()["description"]
        and "tối đa 4096 byte" in resp.json()["description"]
    )
    chunked = requests.post(
        url, data=iter([big[:3000], big[3000:]]), headers=headers("198.51.100.1"), timeout=30
    )
    assert chunked.status_code == 413
    small = requests.post(
        url, data=iter([b'{"inputs": ', b'{"seconds": 0}}']), headers=headers("198.51.100.1"), timeout=60
    )
    assert small.status_code == 200, small.text
    assert small.json()["slept"] == 0


def test_execution_rate_per_client(limits_server: LimitsServer) -> None:
    url = f"{limits_server.base}/processes/{SLEEP}/execution"
    with requests.Session() as session:
        codes = []
        refused = None
        for _ in range(7):  # 3 a minute per worker: 2 workers let at most 6 through
            resp = session.post(
                url, json={"inputs": {"seconds": 0}}, headers=headers("198.51.100.2"), timeout=60
            )
            codes.append(resp.status_code)
            if resp.status_code == 429:
                refused = resp
    assert codes[:3] == [200, 200, 200], codes
    assert refused is not None, codes
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Too many process executions from this client" in refused.json()["description"]
    assert "Quá nhiều yêu cầu" in refused.json()["description"]
    other = requests.post(url, json={"inputs": {"seconds": 0}}, headers=headers("198.51.100.3"), timeout=60)
    assert other.status_code == 200, other.text


def test_read_paths_answer_within_their_budget(limits_server: LimitsServer) -> None:
    """Every provider path runs its statements through the budgeted cursor."""
    base = limits_server.base
    for path, extra in (
        ("/collections/buildings/items/b0000001", {}),  # lean single feature
        ("/collections/buildings/items/b0000001", {"X-Dothi-Path": "pygeoapi"}),
        ("/collections/admin_units/items", {}),
        ("/collections/catalogue/items", {}),
        ("/collections/buildings/tiles/WebMercatorQuad/16/30867/52138", {}),
    ):
        f = "mvt" if "/tiles/" in path else "json"
        resp = requests.get(f"{base}{path}", params={"f": f}, headers=extra, timeout=60)
        assert resp.status_code in (200, 204), (path, resp.status_code, resp.text[:300])
