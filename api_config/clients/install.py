"""Wrap pygeoapi's endpoint functions with the client fixes of :mod:`api_config.clients`."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any

import pygeoapi.api as core_api
import pygeoapi.api.processes as processes_api
import pygeoapi.api.tiles as tiles_api

from api_config.clients.collections import adapt_collections
from api_config.clients.processes import paged_processes
from api_config.clients.tiling import add_tileset_limits, add_tms_v1

Endpoint = Callable[..., tuple[Any, Any, Any]]
_MARK = "_dothi_clients"


def _json_body(request: Any, status: Any, content: Any) -> dict[str, Any] | None:
    """The JSON body of a successful JSON answer, or None (HTML, JSON-LD, errors)."""
    if (
        status != HTTPStatus.OK
        or getattr(request, "format", "json") != "json"
        or not isinstance(content, str)
    ):
        return None
    try:
        body = json.loads(content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _edit_json(
    original: Endpoint, edit: Callable[[Any, Any, dict[str, Any], tuple[Any, ...]], None]
) -> Endpoint:
    @wraps(original)
    def wrapped(api: Any, request: Any, *args: Any) -> tuple[Any, Any, Any]:
        headers, status, content = original(api, request, *args)
        body = _json_body(request, status, content)
        if body is None:
            return headers, status, content
        edit(api, request, body, args)
        return headers, status, json.dumps(body, ensure_ascii=False)

    setattr(wrapped, _MARK, True)
    return wrapped


def install() -> None:
    """Replace the endpoint functions pygeoapi's Flask routes call (once per process)."""
    if getattr(core_api.describe_collections, _MARK, False):
        return
    core_api.describe_collections = _edit_json(core_api.describe_collections, adapt_collections)
    tiles_api.tilematrixset = _edit_json(tiles_api.tilematrixset, add_tms_v1)
    tiles_api.get_collection_tiles_metadata = _edit_json(
        tiles_api.get_collection_tiles_metadata, add_tileset_limits
    )
    paged = paged_processes(processes_api.describe_processes)
    setattr(paged, _MARK, True)
    processes_api.describe_processes = paged
