"""``/processes`` paged with ``limit`` and ``offset`` and ``next``/``prev`` links.

pygeoapi 0.24 cuts the list at the server's default item limit (10) and gives no ``next`` link, so
a client saw 10 of the 14 processes.  Here the list holds every process by default (up to the
server's ``max_items``); ``limit`` and ``offset`` page it, and the JSON answer links to the
``next`` and ``prev`` pages.  The HTML page always lists every process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import ImmutableMultiDict

Endpoint = Callable[..., tuple[Any, Any, Any]]


def _integer(params: Any, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = low - 1
    if not low <= value <= high:
        raise ValueError(
            f"Parameter '{name}': {raw!r} is not an integer from {low} to {high}. "
            f"/ Tham số '{name}' phải là số nguyên từ {low} đến {high}."
        )
    return value


def _links(base: str, params: dict[str, str], offset: int, limit: int, total: int) -> list[dict[str, str]]:
    def href(start: int) -> str:
        return f"{base}?{urlencode({**params, 'f': 'json', 'offset': start, 'limit': limit})}"

    links = []
    if offset + limit < total:
        links.append(
            {
                "rel": "next",
                "type": "application/json",
                "title": "Next page / Trang sau",
                "href": href(offset + limit),
            }
        )
    if offset > 0:
        links.append(
            {
                "rel": "prev",
                "type": "application/json",
                "title": "Previous page / Trang trước",
                "href": href(max(0, offset - limit)),
            }
        )
    return links


def paged_processes(original: Endpoint) -> Endpoint:
    """Wrap pygeoapi's ``describe_processes`` with paging."""

    def describe_processes(api: Any, request: Any, process: str | None = None) -> tuple[Any, Any, Any]:
        if process is not None:
            return original(api, request, process)
        total = len(api.manager.processes)
        high = int(api.config["server"].get("limits", {}).get("max_items", 1000))
        params = request.params
        try:
            limit = _integer(params, "limit", min(total, high) or 1, 1, high)
            offset = _integer(params, "offset", 0, 0, 10**9)
        except ValueError as exc:
            headers = request.get_response_headers(**api.api_headers)
            return api.get_exception(
                HTTPStatus.BAD_REQUEST, headers, request.format, "InvalidParameterValue", str(exc)
            )
        # pygeoapi lists the first ``limit`` processes: ask for all, cut the page here
        others = [(k, v) for k, v in params.items(multi=True) if k not in ("limit", "offset")]
        request._args = ImmutableMultiDict([*others, ("limit", str(max(1, min(total, high))))])
        headers, status, content = original(api, request)
        if status != HTTPStatus.OK or request.format != "json":
            return headers, status, content
        body = json.loads(content)
        body["processes"] = body.get("processes", [])[offset : offset + limit]
        kept = {k: v for k, v in others if k != "f"}
        body["numberMatched"] = total
        body["numberReturned"] = len(body["processes"])
        body.setdefault("links", []).extend(_links(f"{api.base_url}/processes", kept, offset, limit, total))
        return headers, status, json.dumps(body, ensure_ascii=False)

    return describe_processes
