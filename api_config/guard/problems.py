"""OGC API exception documents (``{"code", "type", "description"}``) as WSGI responses."""

from __future__ import annotations

import json
from http import HTTPStatus

Response = tuple[str, list[tuple[str, str]], bytes]


def exception_response(
    status: HTTPStatus, description: str, *, code: str = "InvalidParameterValue"
) -> Response:
    """An OGC API exception document with ``status``; ``description`` says what was wrong and where."""
    body = json.dumps({"code": code, "type": code, "description": description}, ensure_ascii=False)
    data = body.encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    return f"{status.value} {status.phrase}", headers, data
