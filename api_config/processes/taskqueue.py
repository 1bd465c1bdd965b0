"""Asynchronous OGC API jobs on a PostgreSQL task queue (procrastinate), shared by every API node.

An API node only *queues* a job (:class:`TaskQueue`, one small connection pool per web worker);
worker processes (``dothi jobs worker``, :mod:`api_config.processes.worker`) on any machine that
reaches the database fetch and run them.  The queue lives in the schema ``jobs_queue`` (revision
``0015_jobs_queue``); the job's status, progress and results stay in pygeoapi's ``public.jobs``, so
``/jobs/{id}`` answers the same on every node.

* Each queued job names its OGC job id as *queueing lock* (at most one queued entry per job; how
  a dismissal finds it) and its process as *lock* (runs of one process one after the other).
* A worker sends a heartbeat every ``heartbeat_s``; the jobs of a worker silent for ``stalled_s``
  are *stalled* (:func:`api_config.processes.worker.sweep`): queued again when they had not
  started, marked ``failed`` with a message otherwise.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SCHEMA = "jobs_queue"
QUEUE = "dothi-jobs"
TASK = "dothi.run_job"


class JobsSettings(BaseSettings):
    """Job workers (``dothi jobs worker``; ``dothi serve`` starts one)."""

    model_config = SettingsConfigDict(env_prefix="DOTHI_JOBS_", extra="ignore")

    #: ``dothi serve`` / ``dothi demo`` start one worker next to the web server.
    worker: bool = True
    #: Jobs one worker runs at once; default ``DOTHI_API_MAX_JOBS`` (the bound over all nodes).
    concurrency: int | None = Field(default=None, ge=1)
    #: Seconds between two heartbeats of a worker.
    heartbeat_s: float = Field(default=10.0, gt=0)
    #: A worker silent this long is taken for dead; its jobs are queued again or failed.
    stalled_s: float = Field(default=30.0, gt=0)


def connect_kwargs(connection: dict[str, Any], *, name: str) -> dict[str, Any]:
    """psycopg 3 connection arguments from the job manager's ``connection`` (the analyst login),
    with the queue's schema as search path."""
    return {
        "host": connection.get("host"),
        "port": int(connection.get("port") or 5432),
        "dbname": connection.get("dbname"),
        "user": connection.get("user"),
        "password": connection.get("password"),
        "options": f"-c search_path={SCHEMA}",
        "application_name": name,
        "connect_timeout": 10,
    }


class TaskQueue:
    """What an API node does with the queue: put a job in, take a queued job out (dismissal).

    The connection pool (at most two connections) opens on first use, in the web worker that
    uses it (never before gunicorn forks).
    """

    def __init__(self, connection: dict[str, Any]) -> None:
        self._kwargs = connect_kwargs(connection, name="dothi-jobs-api")
        self._app: Any = None
        self._lock = threading.Lock()

    def app(self) -> Any:
        with self._lock:
            if self._app is None:
                import procrastinate  # noqa: PLC0415 - only in a process that queues jobs

                connector = procrastinate.SyncPsycopgConnector(
                    kwargs=self._kwargs, min_size=0, max_size=2, timeout=30
                )
                self._app = procrastinate.App(connector=connector).open()
            return self._app

    def defer(self, job: dict[str, Any]) -> int:
        """Queue ``job`` (the payload of :func:`api_config.processes.worker.run_job`); its id."""
        deferrer = self.app().configure_task(
            TASK,
            queue=QUEUE,
            lock=f"process:{job['process_id']}",
            queueing_lock=f"job:{job['job_id']}",
        )
        return int(deferrer.defer(job=job))

    def cancel(self, job_id: str) -> bool:
        """Take the queued job out (a running one is asked to abort); True when one was found."""
        manager = self.app().job_manager
        found = False
        for entry in manager.list_jobs(queueing_lock=f"job:{job_id}"):
            status = getattr(entry.status, "value", entry.status)
            if status in ("todo", "doing") and entry.id is not None:
                found |= manager.cancel_job_by_id(entry.id, abort=status == "doing")
        return found

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None
