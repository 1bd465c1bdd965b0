"""Who submitted each job (``auth.job_owners``): recorded when the job is added, read to decide
who may see or delete it.  Rows stay when a job is deleted (the audit trail)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, Engine

from api_config.security.identity import Identity, current
from gis.sqlfiles import load_sql


def _cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def record_owner(conn: Connection, job_id: str, identity: Identity) -> None:
    """Record the submitter of ``job_id`` (in the caller's transaction, with the job's row)."""
    values = {"job_id": job_id, "key_name": identity.name, "role": identity.role}
    _cursor(conn).execute(load_sql("api_config.security", "job_owner_insert"), values)


def owner_of(engine: Engine, job_id: str) -> str | None:
    """The name that submitted ``job_id``, or None (unknown job, or submitted before auth)."""
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("api_config.security", "job_owner"), {"job_id": job_id})
        row = cur.fetchone()
    return None if row is None else str(row[0])


def jobs_of(engine: Engine, name: str) -> set[str]:
    """The ids of the jobs ``name`` submitted."""
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("api_config.security", "jobs_of"), {"key_name": name})
        return {str(row[0]) for row in cur.fetchall()}


def visible(engine: Engine, listing: dict[str, Any]) -> dict[str, Any]:
    """A job listing (``{"jobs": [...], "numberMatched": n}``) cut to what the request's identity
    may see: everything for an analyst, a planner's own jobs, nothing without an identity (fails
    closed should a request ever reach the manager unauthenticated)."""
    who = current()
    if who is not None and who.sees_all_jobs:
        return listing
    mine = jobs_of(engine, who.name) if who is not None else set()
    jobs = [job for job in listing["jobs"] if str(job["identifier"]) in mine]
    return {**listing, "jobs": jobs, "numberMatched": len(jobs)}
