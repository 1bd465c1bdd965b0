"""The process of one asynchronous job: ``python -m api_config.processes.jobrunner`` (a JSON
payload on standard input, from :meth:`api_config.processes.queue.JobQueue.spawn`).

It first waits for its process lock and a slot (:mod:`api_config.processes.slots`) on its own
database session, with only psycopg2 imported (a waiting job costs about 23 MB), then — unless the job
was dismissed meanwhile — builds the job manager and runs the job as a synchronous one.  Its slot
is released when it exits, however it ends.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import psycopg2
from psycopg2 import sql

from api_config.processes import slots


def _connect(connection: dict[str, Any]) -> Any:
    conn = psycopg2.connect(
        host=connection.get("host"),
        port=int(connection.get("port", 5432)),
        dbname=connection.get("dbname"),
        user=connection.get("user"),
        password=connection.get("password"),
        application_name="dothi-job-slot",
        connect_timeout=10,
    )
    conn.autocommit = True
    return conn


def _still_wanted(cur: Any, manager_def: dict[str, Any], job_id: str) -> bool:
    """False when the job was dismissed (``DELETE /jobs/{id}``) while it waited for its slot."""
    schema = (manager_def["connection"].get("search_path") or ["public"])[0]
    query = sql.SQL("SELECT status FROM {} WHERE identifier = %s").format(sql.Identifier(schema, "jobs"))
    cur.execute(query, (job_id,))
    row = cur.fetchone()
    return row is not None and row[0] == "accepted"


def _run(manager_def: dict[str, Any], job: dict[str, Any]) -> None:
    # imported only once the job has its slot: a waiting job process stays small
    from pygeoapi.util import Subscriber  # noqa: PLC0415

    from api_config.processes.manager import DothiJobManager  # noqa: PLC0415
    from api_config.security import identity  # noqa: PLC0415

    identity.CURRENT.set(identity.from_dict(job.get("submitter")))  # run on the submitter's behalf
    manager = DothiJobManager(manager_def)
    processor = manager.get_processor(job["process_id"])
    processor.set_job_id(job["job_id"])
    extra: dict[str, Any] = {"requested_response": job["requested_response"]}
    if job.get("subscriber"):
        extra["subscriber"] = Subscriber(**job["subscriber"])
    manager._execute_handler_sync(  # the job as pygeoapi runs a synchronous one
        processor, job["job_id"], job["data"], job["requested_outputs"], **extra
    )


def main() -> int:
    payload = json.loads(sys.stdin.buffer.read())
    manager_def, job = payload["manager"], payload["job"]
    conn = _connect(manager_def["connection"])
    try:
        cur = conn.cursor()
        slots.wait_for_slot(cur, job["process_id"], int(payload["max_jobs"]))
        if _still_wanted(cur, manager_def, job["job_id"]):
            _run(manager_def, job)
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
