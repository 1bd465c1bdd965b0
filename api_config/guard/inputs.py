"""Request checks made before pygeoapi sees a request: each failure is a 4xx naming the parameter.

pygeoapi 0.24 answers 500 to some malformed requests (``limit=true`` reaches the SQL, a POST to
``/items`` without a ``Content-Type`` returns nothing, a JSON array sent to a process execution
is called ``.get`` on).  :class:`InputGuard` refuses them first, with an OGC exception document.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes

from api_config.guard.bodies import check_body
from api_config.guard.logs import client_error
from api_config.guard.problems import exception_response

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_DIGITS = re.compile(r"^[0-9]{1,19}$")
#: Largest ``offset`` (PostgreSQL's bigint).
MAX_OFFSET = 2**63 - 1
_SUBSET_ONE = r'[A-Za-z_][\w-]*\(\s*("[^"():,]*"|[^"():,]+)(\s*:\s*("[^"():,]*"|[^"():,]+))?\s*\)'
_SUBSET = re.compile(rf"^{_SUBSET_ONE}(,{_SUBSET_ONE})*$")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def decoded_query(query: str) -> tuple[list[tuple[str, str]], str | None]:
    """The query string's parameters, or the reason it is refused (a value that is not UTF-8)."""
    params = []
    for piece in query.split("&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition("=")
        name_bytes = unquote_to_bytes(raw_name.replace("+", " ").encode("latin-1", "replace"))
        value_bytes = unquote_to_bytes(raw_value.replace("+", " ").encode("latin-1", "replace"))
        name = name_bytes.decode("utf-8", "replace")
        try:
            params.append((name_bytes.decode("utf-8"), value_bytes.decode("utf-8")))
        except UnicodeDecodeError:
            return [], (
                f"Parameter {name!r}: the value is not valid UTF-8 (percent-encode UTF-8 bytes). "
                "/ Giá trị tham số không phải UTF-8 hợp lệ."
            )
    return params, None


def check_query(params: list[tuple[str, str]]) -> str | None:
    """The reason typed query parameters are refused, or None."""
    for name, value in params:
        if name == "limit" and (not _DIGITS.match(value) or int(value) < 1):
            return (
                f"Parameter 'limit': {value!r} is not a positive integer. / 'limit' phải là số nguyên dương."
            )
        if name == "offset" and (not _DIGITS.match(value) or int(value) > MAX_OFFSET):
            return (
                f"Parameter 'offset': {value!r} is not an integer between 0 and {MAX_OFFSET}. "
                "/ 'offset' phải là số nguyên không âm."
            )
        if name == "subset" and not _SUBSET.match(value):
            return (
                f"Parameter 'subset': {value!r} is not axis(low:high)[,axis(low:high)…], "
                "e.g. x(640800:645000),y(1140960:1145000). / 'subset' không đúng cú pháp."
            )
        if name == "bbox":
            reason = _check_bbox(value)
            if reason:
                return reason
    return None


def _check_bbox(value: str) -> str | None:
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(parts) not in (4, 6) or len(numbers) != len(parts) or not all(map(math.isfinite, numbers)):
        return (
            f"Parameter 'bbox': {value!r} is not 4 (or 6) finite numbers minx,miny,maxx,maxy. "
            "/ 'bbox' phải gồm 4 (hoặc 6) số hữu hạn."
        )
    half = len(numbers) // 2
    if numbers[1] > numbers[half + 1]:
        return f"Parameter 'bbox': miny is greater than maxy in {value!r}. / 'bbox': miny lớn hơn maxy."
    return None


def check_path(path: str) -> str | None:
    """WSGI gives the path decoded as latin-1; it must be UTF-8."""
    try:
        path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return "The path is not valid UTF-8. / Đường dẫn không phải UTF-8 hợp lệ."
    return None


def read_body(environ: dict[str, Any]) -> bytes:
    """Read the request body once and put it back for the application."""
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    body = stream.read(int(length)) if length.isdigit() else stream.read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return bytes(body)


class InputGuard:
    """WSGI middleware: malformed requests get a 4xx OGC exception, the others go on to ``app``."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        problem = self.problem(environ)
        if problem is None:
            return self.app(environ, start_response)
        status, headers, data = exception_response(*problem)
        client_error(
            problem[0].value, environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""), problem[1]
        )
        start_response(status, headers)
        return [data]

    @staticmethod
    def problem(environ: dict[str, Any]) -> tuple[HTTPStatus, str] | None:
        """``(status, reason)`` when the request is refused."""
        path = environ.get("PATH_INFO", "")
        reason = check_path(path)
        if reason is None:
            params, reason = decoded_query(environ.get("QUERY_STRING", ""))
            reason = reason or check_query(params)
        if reason is not None:
            return HTTPStatus.BAD_REQUEST, reason
        if environ.get("REQUEST_METHOD") in _BODY_METHODS:
            return check_body(path, environ.get("CONTENT_TYPE", ""), read_body(environ))
        return None
