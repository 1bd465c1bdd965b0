"""CORS (read-only methods by default) and identity from a trusted reverse proxy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import requests
from sqlalchemy.engine import Engine
from werkzeug.test import Client

from api_config.security.auth import Authenticator, TrustedProxy
from api_config.security.cors import Cors, CorsPolicy
from api_config.security.identity import current
from tests.conftest import bearer

EXECUTE = "/processes/population_density-run/execution"
EVIL = "https://evil.example"


def _preflight(api_server: str, path: str, method: str, origin: str = EVIL) -> requests.Response:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return requests.options(f"{api_server}{path}", headers=headers, timeout=30)


def _cors_headers(resp: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in resp.headers.items() if k.lower().startswith("access-control-")}


def test_preflight_for_writes_from_an_unlisted_origin_gets_no_allow_headers(api_server: str) -> None:
    for path, method in (
        (EXECUTE, "POST"),
        ("/jobs/x", "DELETE"),
        ("/collections/admin_units/items", "POST"),
    ):
        resp = _preflight(api_server, path, method)
        assert resp.status_code == 204
        assert _cors_headers(resp) == {}, (path, method)


def test_reads_are_open_to_any_origin(api_server: str) -> None:
    resp = _preflight(api_server, "/collections/admin_units/items", "GET")
    assert resp.status_code == 204
    allowed = _cors_headers(resp)
    assert allowed["access-control-allow-origin"] == "*"
    assert allowed["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    for path in ("/collections/admin_units/items/2019:80101?f=json", "/collections?f=json", "/conformance"):
        got = requests.get(f"{api_server}{path}", headers={"Origin": EVIL}, timeout=30)
        assert got.headers.get("Access-Control-Allow-Origin") == "*", path


def test_cross_origin_execution_is_not_readable(api_server: str, api_keys: dict[str, str]) -> None:
    """Even with a key, a page on another origin cannot read the answer of a POST."""
    resp = requests.post(
        f"{api_server}{EXECUTE}",
        json={"inputs": {}},
        headers={"Origin": EVIL, **bearer(api_keys["alice"])},
        timeout=120,
    )
    assert resp.status_code == 200
    assert "Access-Control-Allow-Origin" not in resp.headers


def _echo(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """A WSGI app answering with the request's identity (name/role/via) or ``anonymous``."""
    who = current()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Access-Control-Allow-Origin", "*")])
    return [(f"{who.name}/{who.role}/{who.via}" if who else "anonymous").encode()]


def test_write_origins_may_post_and_delete() -> None:
    app = Cors(_echo, CorsPolicy.parse("https://maps.example", "https://planning.gov.example"))
    client = Client(app)
    writer = "https://planning.gov.example"
    pre = client.options(EXECUTE, headers={"Origin": writer, "Access-Control-Request-Method": "POST"})
    assert pre.headers["Access-Control-Allow-Origin"] == writer
    assert "DELETE" in pre.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in pre.headers["Access-Control-Allow-Headers"]
    posted = client.post(EXECUTE, headers={"Origin": writer})
    assert posted.headers["Access-Control-Allow-Origin"] == writer and "Origin" in posted.headers["Vary"]
    reader = client.post(EXECUTE, headers={"Origin": "https://maps.example"})
    assert "Access-Control-Allow-Origin" not in reader.headers  # the app's own "*" is removed
    read = client.get("/collections", headers={"Origin": "https://maps.example"})
    assert read.headers["Access-Control-Allow-Origin"] == "https://maps.example"
    other = client.get("/collections", headers={"Origin": EVIL})
    assert "Access-Control-Allow-Origin" not in other.headers  # only the listed origins read


def test_identity_from_a_trusted_proxy_only(loaded: Engine, api_keys: dict[str, str]) -> None:
    proxy = TrustedProxy.parse("10.0.0.0/24, ::1", "X-Forwarded-User", "X-Forwarded-Role")
    client = Client(Authenticator(_echo, lambda: loaded, proxy))
    sso = {"X-Forwarded-User": "nguyen.van.a@mytho.gov.vn", "X-Forwarded-Role": "analyst"}

    def jobs(addr: str, headers: dict[str, str]) -> Any:
        return client.get("/jobs", headers=headers, environ_overrides={"REMOTE_ADDR": addr})

    trusted = jobs("10.0.0.7", sso)
    assert trusted.status_code == 200 and trusted.text == "nguyen.van.a@mytho.gov.vn/analyst/proxy"
    assert jobs("::1", {"X-Forwarded-User": "b"}).text == "b/planner/proxy"  # no role header: planner
    assert jobs("10.0.1.7", sso).status_code == 401  # not a proxy: headers ignored
    assert jobs("10.0.0.7", {**sso, "X-Forwarded-Role": "admin"}).status_code == 401
    assert jobs("10.0.0.7", {"X-Forwarded-User": "x" * 257}).status_code == 401
    keyed = jobs("10.0.1.7", {**sso, **bearer(api_keys["bob"])})
    assert keyed.text == "bob/planner/api-key"
    assert client.get("/collections").text == "anonymous"  # reads need no identity
    assert TrustedProxy.parse("", "X-Forwarded-User", None) is None  # no proxies: keys only
