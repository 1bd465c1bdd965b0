"""OGC API exception documents for the limits (bilingual, as JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

StartResponse = Any


def refuse(
    start_response: StartResponse, status: str, code: str, description: str, *, retry_after: int | None = None
) -> Iterable[bytes]:
    """Answer with an OGC exception document (JSON)."""
    data = json.dumps({"code": code, "type": code, "description": description}, ensure_ascii=False).encode(
        "utf-8"
    )
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(data))),
    ]
    if retry_after is not None:
        headers.append(("Retry-After", str(max(1, retry_after))))
    start_response(status, headers)
    return [data]
