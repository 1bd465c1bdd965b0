"""Run a multi-statement SQL script as it is written (frozen migration DDL)."""

from __future__ import annotations

from sqlalchemy.engine import Connection


def run_script(conn: Connection, script: str) -> None:
    """Execute ``script`` on ``conn``'s DBAPI cursor with no parameters.

    No parameters means psycopg2 interpolates nothing: ``%`` in a comment text and ``:name`` stay
    literal, exactly as ``psql -f`` would run the file.  The script carries no values from outside
    (it is frozen DDL shipped with the code).
    """
    with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(script)
