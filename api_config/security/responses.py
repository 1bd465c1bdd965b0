"""OGC exception responses (JSON, bilingual description) of the security middleware."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]


def exception(
    start_response: StartResponse,
    status: str,
    code: str,
    description: str,
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    """Answer with an OGC API exception body ``{"code", "type", "description"}``."""
    data = json.dumps({"code": code, "type": code, "description": description}, ensure_ascii=False).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(data))),
            *headers,
        ],
    )
    return [data]
