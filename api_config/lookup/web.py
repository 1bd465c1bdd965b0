"""``GET /lookup?lon=&lat=&lang=`` and ``GET /search?q=&limit=``: anonymous reads for the public map,
QGIS and scripts, rate limited per client (``DOTHI_API_LOOKUP_RATE``) on the reader's read-only
connection.  Bad input is a 400 naming the parameter (Vietnamese and English); too many requests a
429 with ``Retry-After``; an unreachable database the guard's 503."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, request

from api_config.limits.clients import client_key, parse_networks
from api_config.limits.rate import RateLimit, rate_limit
from api_config.lookup.place import LookupInputError, lookup, parse_point
from api_config.lookup.search import parse_query, search
from api_config.providers.db import engine_for
from gis.settings import ApiSettings

#: Statement timeout (ms) of the look-up connection: the look-up answers in milliseconds.
STATEMENT_TIMEOUT_MS = 5000
_PARAMS = {"lookup": {"lon", "lat", "lang", "f"}, "search": {"q", "limit", "lang", "f"}}


def reader_data(config: dict[str, Any]) -> dict[str, Any] | None:
    """The database ``data`` block of the published feature collections (the reader's login)."""
    for resource in config.get("resources", {}).values():
        for provider in resource.get("providers", []) or []:
            data = provider.get("data")
            if provider.get("type") == "feature" and isinstance(data, dict) and data.get("dbname"):
                return data
    return None


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False, allow_nan=False)
    response = Response(text, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store" if status != 200 else "public, max-age=60"
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _problem(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    code = "InvalidParameterValue" if status == 400 else ("TooManyRequests" if status == 429 else "Error")
    return _json({"code": code, "type": code, "description": detail}, status, headers)


def blueprint(config: dict[str, Any], settings: ApiSettings) -> Blueprint:
    """The routes, reading through the published collections' connection."""
    bp = Blueprint("dothi_lookup", __name__)
    data = reader_data(config)
    limiter: RateLimit | None = rate_limit(settings.lookup_rate)
    trusted = parse_networks(settings.trusted_proxies)

    @contextmanager
    def cursor() -> Iterator[Any]:
        if data is None:
            raise LookupInputError("Không có cơ sở dữ liệu / No database is published.")
        engine = engine_for(
            data, {"statement_timeout_ms": STATEMENT_TIMEOUT_MS, "pool_size": 2}, read_only=True
        )
        with engine.connect() as conn:
            yield conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def guard(kind: str) -> Response | None:
        extra = sorted(set(request.args) - _PARAMS[kind])
        if extra:
            return _problem(
                400,
                f"Tham số không hợp lệ / Unknown parameter(s): {', '.join(map(repr, extra))}; "
                f"allowed: {', '.join(sorted(_PARAMS[kind]))}.",
            )
        if request.args.get("f", "json") != "json":
            return _problem(400, "Tham số 'f' chỉ nhận json / Parameter 'f': only json is offered.")
        if limiter is not None:
            wait = limiter.allow(client_key(request.environ, trusted))
            if wait is not None:
                return _problem(
                    429,
                    f"Quá nhiều yêu cầu ({limiter.describe()}); thử lại sau {wait} giây / "
                    f"Too many requests ({limiter.describe()}); retry after {wait} s.",
                    {"Retry-After": str(wait)},
                )
        return None

    @bp.route("/lookup")
    def lookup_view() -> Response:
        refused = guard("lookup")
        if refused is not None:
            return refused
        started = time.perf_counter()
        try:
            lon, lat = parse_point(request.args.get("lon"), request.args.get("lat"))
            with cursor() as cur:
                answer = lookup(cur, lon, lat, request.args.get("lang", "vi"))
        except LookupInputError as exc:
            return _problem(400, str(exc))
        ms = (time.perf_counter() - started) * 1000
        return _json(answer, headers={"Server-Timing": f"lookup;dur={ms:.1f}"})

    @bp.route("/search")
    def search_view() -> Response:
        refused = guard("search")
        if refused is not None:
            return refused
        try:
            words, limit = parse_query(request.args.get("q"), request.args.get("limit"))
            with cursor() as cur:
                found = search(cur, words, limit)
        except LookupInputError as exc:
            return _problem(400, str(exc))
        return _json({"query": request.args.get("q"), "results": found})

    return bp
