"""Logging of errors: a 4xx is one line, a 5xx keeps its traceback.

pygeoapi 0.24 logs every error document it renders (``API.get_exception``) at ERROR with the
traceback of the exception being handled, and often a line of its own just before (``Bad CQL
JSON: …``): a bad request wrote about 1.7 KB.  :func:`configure` wraps ``get_exception`` to know
the status being answered, and a filter on the root handlers

* rewrites the ``get_exception`` record of a 4xx as one line ``HTTP 400 GET /path: description``
  without traceback;
* drops the ERROR lines pygeoapi's request handlers write without a traceback before rendering an
  error document (the document's own line says the same);
* leaves 5xx records (with their traceback) and every other logger alone.

Requests refused by dothi's own guards are logged the same way (:func:`client_error`).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from flask import has_request_context, request
from pygeoapi.api import API

LOGGER = logging.getLogger("api_config.guard")
_STATUS: ContextVar[int | None] = ContextVar("dothi_error_status", default=None)
_REQUEST_HANDLERS = "pygeoapi.api"


def _one_line(text: str, limit: int = 500) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def client_error(status: int, method: str, path: str, description: str) -> None:
    """Log a refused request as one line."""
    LOGGER.error("HTTP %s %s %s: %s", status, method, path, _one_line(description))


class ClientErrorFilter(logging.Filter):
    """See the module's docstring."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(_REQUEST_HANDLERS) or record.levelno < logging.ERROR:
            return True
        if record.funcName != "get_exception":
            return record.exc_info is not None
        status = _STATUS.get()
        if status is None or status >= 500:
            return True
        where = f"{request.method} {request.path}" if has_request_context() else "-"
        record.msg = f"HTTP {status} {where}: {_one_line(record.getMessage())}"
        record.args = ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True


_ORIGINAL = API.get_exception


def _get_exception(self: API, status: int, *args: Any, **kwargs: Any) -> Any:
    token = _STATUS.set(int(status))
    try:
        return _ORIGINAL(self, status, *args, **kwargs)
    finally:
        _STATUS.reset(token)


def configure() -> None:
    """Install the filter on the root logger's handlers (idempotent)."""
    API.get_exception = _get_exception
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, ClientErrorFilter) for f in handler.filters):
            handler.addFilter(ClientErrorFilter())
