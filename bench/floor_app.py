"""A WSGI app that returns a constant GeoJSON Feature: the HTTP floor of ``bench_api.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"type":"Feature","id":"x","geometry":null,"properties":{}}'


def app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/geo+json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
