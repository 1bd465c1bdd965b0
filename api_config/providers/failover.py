"""Reads that survive losing their server: a statement on a pooled connection whose server went
away (a replica stopped, the primary restarted) runs again once on a new connection.

Only the read-only providers use it (autocommit, read-only transactions: running a statement again
changes nothing).  The new connection is made by the engine's pool, so with replicas configured
(:func:`api_config.providers.db.with_replicas`) it reaches another replica or, when none answers,
the primary.  A statement that fails for any other reason (an error in the query, a timeout) is not
repeated; a connection that fails twice is the server being unreachable (HTTP 503).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg2


def connection_lost(conn: Any) -> bool:
    """Whether the DB-API connection (or SQLAlchemy's proxy of it) is closed or broken."""
    driver = getattr(conn, "driver_connection", conn)
    return bool(getattr(driver, "closed", 0))


class FailoverCursor:
    """A cursor proxy running a statement again, once, on a fresh connection when its connection
    was lost (``reconnect`` swaps the owner's connection and returns the new cursor)."""

    def __init__(self, cursor: Any, conn: Any, reconnect: Callable[[BaseException], Any]) -> None:
        self._cursor = cursor
        self._conn = conn
        self._reconnect = reconnect
        self.retried = False

    def execute(self, query: Any, params: Any = None) -> None:
        try:
            self._cursor.execute(query, params)
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
            if self.retried or not connection_lost(self._conn):
                raise
            self.retried = True
            self._cursor, self._conn = self._reconnect(exc)
            self._cursor.execute(query, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)
