"""A job worker: runs the OGC API jobs every API node queues (``dothi jobs worker``).

Any number of workers, on any machine that reaches the database, fetch jobs from the queue
(:mod:`api_config.processes.taskqueue`; PostgreSQL LISTEN/NOTIFY wakes them).  Each runs up to
``concurrency`` jobs at once in threads; over all workers and synchronous executions at most
``max_jobs`` run at once: a job first takes one of the slot locks of
:mod:`api_config.processes.slots` on its own database session (released with the session, so a
killed worker frees its slots), then — unless it was dismissed meanwhile — runs as pygeoapi runs
a synchronous job, writing status, progress and results to ``public.jobs``.

Every ``heartbeat_s`` each worker also looks for *stalled* jobs, those of a worker that sent no
heartbeat for ``stalled_s`` (killed, machine lost): a job that had not started is queued again,
one that had started is marked ``failed`` with a message saying why (:func:`sweep`).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import UTC, datetime
from typing import Any

import psycopg2
import sqlalchemy as sa

from api_config.processes import slots
from api_config.processes.interrupted import ACTIVE
from api_config.processes.taskqueue import QUEUE, TASK, JobsSettings, connect_kwargs

LOGGER = logging.getLogger(__name__)

CRASHED = (
    "Worker không chạy được công việc ({error}); hãy báo quản trị viên. / "
    "The job worker could not run the job ({error}); tell the administrator."
)

STALLED = (
    "Công việc bị gián đoạn: tiến trình thực thi (worker {worker}) không còn gửi tín hiệu sống "
    "quá {seconds:g} giây (bị dừng hoặc gặp sự cố). Hãy gửi lại yêu cầu. / "
    "Job interrupted: its worker {worker} sent no heartbeat for {seconds:g} seconds (stopped or "
    "crashed). Submit the job again."
)


# -- one job ------------------------------------------------------------------------------------
def _connect(connection: dict[str, Any]) -> Any:
    conn = psycopg2.connect(
        host=connection.get("host"),
        port=int(connection.get("port") or 5432),
        dbname=connection.get("dbname"),
        user=connection.get("user"),
        password=connection.get("password"),
        application_name="dothi-job-slot",
        connect_timeout=10,
    )
    conn.autocommit = True
    return conn


def _start(manager: Any, job_id: str) -> bool:
    """Mark the job ``running`` — False when it was dismissed (``DELETE /jobs/{id}``) or failed
    while it waited.  From here on a lost worker means a failed job, not a queued one again."""
    table = manager._jobs
    stmt = (
        sa.update(table)
        .where(table.c.identifier == job_id, table.c.status == "accepted")
        .values(status="running", updated=_now())
    )
    with manager._engine.begin() as conn:
        return bool(conn.execute(stmt).rowcount == 1)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # pygeoapi's columns: UTC without time zone


def run_job(manager: Any, job: dict[str, Any], *, max_jobs: int) -> None:
    """Run one queued job: wait for a slot, then run it on the submitter's behalf."""
    definition = manager._definition
    conn = _connect(definition["connection"])
    try:
        cur = conn.cursor()
        slots.wait_for_slot(cur, job["process_id"], max_jobs)
        if not _start(manager, job["job_id"]):
            return
        try:
            _execute(manager, job)
        except Exception as err:  # pygeoapi fails a job whose process raises; this is the rest
            _fail(manager, job["job_id"], CRASHED.format(error=type(err).__name__))
            raise
    finally:
        conn.close()  # frees the slot and the process lock


def _execute(manager: Any, job: dict[str, Any]) -> None:
    from pygeoapi.util import Subscriber  # noqa: PLC0415

    from api_config.security import identity  # noqa: PLC0415

    identity.CURRENT.set(identity.from_dict(job.get("submitter")))
    processor = manager.get_processor(job["process_id"])
    processor.set_job_id(job["job_id"])
    extra: dict[str, Any] = {"requested_response": job["requested_response"]}
    if job.get("subscriber"):
        extra["subscriber"] = Subscriber(**job["subscriber"])
    manager._execute_handler_sync(  # the job as pygeoapi runs a synchronous one
        processor, job["job_id"], job["data"], job["requested_outputs"], **extra
    )


def _fail(manager: Any, job_id: str, message: str) -> bool:
    """Mark the OGC job ``failed`` with ``message`` (when it is still active)."""
    table, now = manager._jobs, _now()
    stmt = (
        sa.update(table)
        .where(table.c.identifier == job_id, table.c.status.in_(ACTIVE))
        .values(status="failed", message=message, finished=now, updated=now)
    )
    with manager._engine.begin() as conn:
        return bool(conn.execute(stmt).rowcount == 1)


# -- stalled jobs -------------------------------------------------------------------------------
def _job_status(engine: sa.Engine, table: sa.Table, job_id: str) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(table.c.status).where(table.c.identifier == job_id)).first()
    return None if row is None else str(row[0])


async def sweep(app: Any, manager: Any, *, stalled_s: float) -> list[tuple[str, str]]:
    """Deal with the stalled jobs: ``(job id, "requeued" | "failed")`` for each one."""
    from procrastinate.jobs import Status  # noqa: PLC0415

    done = []
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, task_name=TASK, seconds_since_heartbeat=stalled_s
    )
    for entry in stalled:
        job_id = str(entry.task_kwargs["job"]["job_id"])
        status = await asyncio.to_thread(_job_status, manager._engine, manager._jobs, job_id)
        if status == "accepted":  # never started: safe to run again
            await app.job_manager.retry_job(entry)
            done.append((job_id, "requeued"))
            continue
        worker = entry.worker_id if entry.worker_id is not None else "?"
        message = STALLED.format(worker=worker, seconds=stalled_s)
        await asyncio.to_thread(_fail, manager, job_id, message)
        await app.job_manager.finish_job(entry, status=Status.FAILED, delete_job=False)
        done.append((job_id, "failed"))
    for job_id, what in done:
        LOGGER.warning("stalled job %s %s", job_id, what)
    return done


async def _sweep_forever(app: Any, manager: Any, settings: JobsSettings) -> None:
    while True:
        try:
            await sweep(app, manager, stalled_s=settings.stalled_s)
        except Exception:  # a lost connection must not stop the worker: try again later
            LOGGER.exception("looking for stalled jobs failed")
        await asyncio.sleep(settings.heartbeat_s)


# -- the worker ---------------------------------------------------------------------------------
def build_app(manager: Any, *, max_jobs: int) -> Any:
    import procrastinate  # noqa: PLC0415

    name = f"dothi-jobs-worker@{socket.gethostname()}"
    kwargs = connect_kwargs(manager._definition["connection"], name=name)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(kwargs=kwargs, min_size=1, max_size=4))

    @app.task(name=TASK, queue=QUEUE)
    def _run(job: dict[str, Any]) -> None:
        run_job(manager, job, max_jobs=max_jobs)

    return app


async def serve(manager: Any, settings: JobsSettings, *, max_jobs: int) -> None:
    """Run the worker until SIGINT/SIGTERM (running jobs finish first)."""
    app = build_app(manager, max_jobs=max_jobs)
    async with app.open_async():
        sweeper = asyncio.create_task(_sweep_forever(app, manager, settings), name="stalled jobs")
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                name=f"dothi@{socket.gethostname()}",
                concurrency=settings.concurrency or max_jobs,
                update_heartbeat_interval=settings.heartbeat_s,
                stalled_worker_timeout=settings.stalled_s,
                delete_jobs="successful",  # the queue stays small; public.jobs keeps the history
            )
        finally:
            sweeper.cancel()


def run(config: dict[str, Any], settings: JobsSettings) -> None:
    """A worker for the pygeoapi configuration ``config`` (its job manager and processes)."""
    from pygeoapi.process.manager.base import get_manager  # noqa: PLC0415

    manager = get_manager(config)
    asyncio.run(serve(manager, settings, max_jobs=max_jobs(config)))


def max_jobs(config: dict[str, Any]) -> int:
    """Jobs running at once over all nodes (``DOTHI_API_MAX_JOBS`` when the config was made)."""
    return int((config["server"]["manager"].get("limits") or {}).get("max_jobs", 1))
