"""Database unavailable → HTTP 503 with ``Retry-After`` (never a 500).

Two routes lead here: dothi's providers turn a lost connection into :class:`DatabaseUnavailableError`
(a pygeoapi provider error whose status is 503), and a connection that cannot even be opened (in
a provider, the job manager or a process) escapes pygeoapi as a driver error, which the Flask
error handler registered by :func:`register` answers.  :class:`~api_config.guard.responses.
ResponseGuard` adds ``Retry-After`` to every 503.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import psycopg2
import sqlalchemy.exc
from flask import Flask, Response
from pygeoapi.provider.base import ProviderConnectionError

from api_config.guard.problems import exception_response

#: Seconds a client should wait before trying again (``Retry-After``).
RETRY_AFTER_S = 5
MESSAGE = (
    "The database is unavailable; try again in a few seconds. "
    "/ Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau."
)
LOGGER = logging.getLogger(__name__)


class DatabaseUnavailableError(ProviderConnectionError):
    """The database cannot be reached (connection refused, lost, or the pool exhausted)."""

    ogc_exception_code = "ServiceUnavailable"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_msg = MESSAGE

    @classmethod
    def caused_by(cls, exc: BaseException) -> DatabaseUnavailableError:
        """The error to raise (``from exc``) for a driver error meaning the database is unreachable."""
        return cls(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, user_msg=MESSAGE)


def is_unavailable(exc: BaseException) -> bool:
    """True for errors meaning the server cannot be reached, not that a statement was wrong."""
    if isinstance(exc, sqlalchemy.exc.TimeoutError):  # no pooled connection within the timeout
        return True
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig or exc
    if isinstance(exc, psycopg2.InterfaceError):  # "connection already closed" under a restart
        return True
    return isinstance(exc, psycopg2.OperationalError) and not isinstance(exc, psycopg2.errors.QueryCanceled)


def _answer(exc: Exception) -> Any:
    if not is_unavailable(exc):
        raise exc
    LOGGER.error("Database unavailable (%s): %s", type(exc).__name__, str(exc).splitlines()[0])
    status, headers, data = exception_response(
        HTTPStatus.SERVICE_UNAVAILABLE, MESSAGE, code="ServiceUnavailable"
    )
    return Response(data, status=int(status.split()[0]), headers=headers)


def register(app: Flask) -> None:
    """Answer 503 to driver errors escaping pygeoapi's handlers."""
    for kind in (
        psycopg2.OperationalError,
        psycopg2.InterfaceError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
        sqlalchemy.exc.TimeoutError,
    ):
        app.register_error_handler(kind, _answer)
