"""A WSGI app behind :class:`api_config.guard.accesslog.AccessLog`, for the test that stops a real
granian server right after its requests (tests/api_config/test_accesslog.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from api_config.guard.accesslog import AccessLog


def _hello(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


app = AccessLog(_hello, flush_s=30)  # nothing is written by the thread during the test
