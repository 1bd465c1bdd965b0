"""Synchronous executions whose process died (server restart, SIGKILL, out of memory) are marked
``failed``.  (Queued jobs record no process: :mod:`api_config.processes.worker` finds those of a
dead worker through the queue's heartbeats.)

The jobs table (``public.jobs``, pygeoapi's shape) is created by revision ``0007_roles`` with four
more columns naming the process that runs each job (:mod:`api_config.processes.liveness`): the
API's analyst login may write it but not create or alter tables.  Whenever jobs are read or the
server starts, dothi turns an ``accepted``/``running`` job whose process no longer exists into a
``failed`` one with a message saying it can be submitted again.
"""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import sqlalchemy as sa
from psycopg2 import sql
from sqlalchemy.engine import Engine

from api_config.processes.liveness import ProcessIdentity, is_gone
from gis.sqlfiles import load_sql

PROCESS_COLUMNS = ("pid", "host", "boot_id", "proc_start")
ACTIVE = ("accepted", "running")

INTERRUPTED = (
    "Công việc bị gián đoạn (máy chủ khởi động lại hoặc gặp sự cố): tiến trình {pid} trên {host} "
    "không còn chạy. Hãy gửi lại yêu cầu. / "
    "Job interrupted (server restart or crash): its process {pid} on {host} no longer exists. "
    "Submit the job again."
)


def jobs_table(engine: Engine, schema: str) -> sa.Table:
    """The jobs table as it is in the database, with the process columns (added when missing)."""
    if not set(PROCESS_COLUMNS) <= {c["name"] for c in sa.inspect(engine).get_columns("jobs", schema)}:
        with engine.begin() as conn:
            cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            statement = sql.SQL(load_sql("api_config.processes", "jobs_process_columns"))
            cur.execute(statement.format(table=sql.Identifier(schema, "jobs")))
    return sa.Table("jobs", sa.MetaData(), schema=schema, autoload_with=engine)


def fail_interrupted(engine: Engine, table: sa.Table, *, job_id: str | None = None) -> list[str]:
    """Mark ``failed`` the active jobs (or the one ``job_id``) of this host whose process is gone.

    Returns the identifiers of the jobs marked.  The update re-checks status and process, so a job
    that finished meanwhile keeps its result.
    """
    c = table.c
    query = sa.select(c.identifier, *(c[name] for name in PROCESS_COLUMNS)).where(
        c.status.in_(ACTIVE), c.pid.is_not(None), c.host == socket.gethostname()
    )
    if job_id is not None:
        query = query.where(c.identifier == job_id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    marked = []
    for row in rows:
        recorded = ProcessIdentity(pid=row.pid, host=row.host, boot_id=row.boot_id, started=row.proc_start)
        if is_gone(recorded) and _mark_failed(engine, table, row.identifier, recorded):
            marked.append(row.identifier)
    return marked


def _mark_failed(engine: Engine, table: sa.Table, job_id: str, recorded: ProcessIdentity) -> bool:
    c = table.c
    now = datetime.now(UTC).replace(tzinfo=None)
    stmt = (
        sa.update(table)
        .where(
            c.identifier == job_id,
            c.status.in_(ACTIVE),
            c.pid == recorded.pid,
            c.proc_start.is_not_distinct_from(recorded.started),
        )
        .values(
            status="failed",
            message=INTERRUPTED.format(pid=recorded.pid, host=recorded.host),
            finished=now,
            updated=now,
        )
    )
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount == 1
