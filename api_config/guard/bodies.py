"""Checks of request bodies (POST/PUT/PATCH): UTF-8, JSON, and the shape each endpoint expects."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

_ITEMS = re.compile(r"^/collections/[^/]+/items/?$")
_EXECUTION = re.compile(r"^/processes/[^/]+/execution/?$")
#: Media types pygeoapi reads as a CQL2 JSON filter on ``POST /collections/{id}/items``.
_FILTER_TYPES = ("application/json", "application/query-cql-json", "application/cql2+json")
_RESPONSES = ("raw", "document")

Problem = tuple[HTTPStatus, str] | None


def check_body(path: str, content_type: str, body: bytes) -> Problem:
    """The status and reason a request body is refused, or None."""
    media = content_type.split(";", 1)[0].strip().lower()
    if _ITEMS.match(path):
        return _check_search(media, body)
    if _EXECUTION.match(path):
        return _check_execution(body)
    if "json" in media and body:
        _, problem = _json(body, "the request body")
        return problem
    return None


def _json(body: bytes, what: str) -> tuple[Any, Problem]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, (
            HTTPStatus.BAD_REQUEST,
            f"Body: {what} is not valid UTF-8 (byte {exc.start}). "
            "/ Nội dung yêu cầu không phải UTF-8 hợp lệ.",
        )
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, (
            HTTPStatus.BAD_REQUEST,
            f"Body: {what} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            "/ Nội dung yêu cầu không phải JSON hợp lệ.",
        )


def _check_search(media: str, body: bytes) -> Problem:
    """``POST /collections/{id}/items``: a CQL2 JSON filter (creating features is not offered)."""
    if not body.strip():
        return HTTPStatus.BAD_REQUEST, (
            "Body: empty. POST to /items expects a CQL2 JSON filter with Content-Type: application/json "
            "(or use GET with filter=…). / Thiếu nội dung: cần một bộ lọc CQL2 JSON."
        )
    if media not in _FILTER_TYPES:
        return HTTPStatus.UNSUPPORTED_MEDIA_TYPE, (
            f"Content-Type {media or '(none)'!r}: POST to /items expects a CQL2 JSON filter sent as "
            "application/json. / Kiểu nội dung không được hỗ trợ."
        )
    document, problem = _json(body, "the CQL2 JSON filter")
    if problem is None and not isinstance(document, dict):
        problem = (
            HTTPStatus.BAD_REQUEST,
            (
                f"Body: a CQL2 JSON filter is a JSON object, not {_kind(document)}. "
                "/ Bộ lọc CQL2 JSON phải là một đối tượng JSON."
            ),
        )
    return problem


def _check_execution(body: bytes) -> Problem:
    """``POST /processes/{id}/execution``: an execute request (OGC API – Processes, execute.yaml)."""
    if not body.strip():
        return HTTPStatus.BAD_REQUEST, (
            'Body: empty. Send an execute request such as {"inputs": {}}. / Thiếu nội dung yêu cầu.'
        )
    document, problem = _json(body, "the execute request")
    if problem is not None:
        return problem
    if not isinstance(document, dict):
        return HTTPStatus.BAD_REQUEST, (
            f'Body: an execute request is a JSON object such as {{"inputs": {{}}}}, not {_kind(document)}. '
            "/ Yêu cầu thực thi phải là một đối tượng JSON."
        )
    return _check_members(document)


def _check_members(document: dict[str, Any]) -> Problem:
    for member in ("inputs", "outputs", "subscriber"):
        if member in document and not isinstance(document[member], dict):
            return HTTPStatus.BAD_REQUEST, (
                f"Body: '{member}' must be a JSON object, not {_kind(document[member])}. "
                f"/ '{member}' phải là một đối tượng JSON."
            )
    subscriber = document.get("subscriber")
    if subscriber is not None and not isinstance(subscriber.get("successUri"), str):
        return HTTPStatus.BAD_REQUEST, "Body: 'subscriber.successUri' (a URI) is required."
    if "response" in document and document["response"] not in _RESPONSES:
        return HTTPStatus.BAD_REQUEST, (
            f"Body: 'response' must be 'raw' or 'document', not {document['response']!r}."
        )
    return None


def _kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
