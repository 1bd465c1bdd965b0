"""A bounded job queue for OGC API – Processes, held in PostgreSQL across every web worker.

* **Admission**: a submission is admitted only while fewer than ``max_jobs + queue`` jobs are
  ``accepted`` or ``running`` (counted under a transaction-level advisory lock, in the transaction
  that inserts the job); beyond, HTTP 429 with ``Retry-After``.
* **Concurrency**: a job runs while its database session holds one of ``max_jobs`` slot locks and
  its process's lock (:mod:`api_config.processes.slots`), so the bound holds across workers and a
  killed job frees its slot with its connection.
* **Asynchronous jobs** are queued (:mod:`api_config.processes.taskqueue`); a job worker on any
  machine waits for a slot, then runs the job (:mod:`api_config.processes.worker`).
* **Synchronous executions** take a slot at once or are refused with 429 (they never wait in a
  request thread).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import sqlalchemy as sa
from pygeoapi.process.base import ProcessorExecuteError
from sqlalchemy.engine import Connection, Engine

from api_config.limits.hints import retry_after
from api_config.processes import slots
from api_config.processes.interrupted import ACTIVE, fail_interrupted

#: Seconds a refused client is told to wait (``Retry-After``).
RETRY_AFTER_S = 30


class JobQueueFullError(ProcessorExecuteError):
    """No room for another job (HTTP 429)."""

    http_status_code = HTTPStatus.TOO_MANY_REQUESTS
    ogc_exception_code = "TooManyRequests"

    def __init__(self, message: str) -> None:
        super().__init__(message, user_msg=message)
        retry_after(RETRY_AFTER_S)


class JobQueueUnavailableError(ProcessorExecuteError):
    """The job could not be queued (HTTP 503): the queue's schema is missing or unreachable."""

    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    ogc_exception_code = "ServiceUnavailable"
    MESSAGE = (
        "Không thể đưa công việc vào hàng đợi (cơ sở dữ liệu chưa được nâng cấp hoặc không kết nối "
        "được); hãy chạy `dothi db migrate` hoặc thử lại sau. / The job could not be queued (the "
        "database is not migrated or cannot be reached); run `dothi db migrate` or retry later."
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE, user_msg=self.MESSAGE)
        retry_after(RETRY_AFTER_S)


@dataclasses.dataclass(frozen=True)
class QueueSettings:
    max_jobs: int = 1
    queue: int = 8

    @classmethod
    def from_manager_def(cls, manager_def: dict[str, Any]) -> QueueSettings:
        limits = manager_def.get("limits") or {}
        return cls(max_jobs=int(limits.get("max_jobs", 1)), queue=int(limits.get("queue", 8)))


class JobQueue:
    """Admission, slots and job processes of one job manager."""

    def __init__(self, engine: Engine, jobs: sa.Table, settings: QueueSettings) -> None:
        self.engine = engine
        self.jobs = jobs
        self.settings = settings

    # -- admission --------------------------------------------------------------------------------
    def admit(self, conn: Connection) -> None:
        """In the transaction that inserts a job: refuse it (429) when the queue is full."""
        capacity = self.settings.max_jobs + self.settings.queue
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(slots.JOBS_CLASS, slots.ADMISSION)))
        count = sa.select(sa.func.count()).select_from(self.jobs).where(self.jobs.c.status.in_(ACTIVE))
        active = int(conn.execute(count).scalar_one())
        if active >= capacity:
            raise JobQueueFullError(
                f"Hàng đợi công việc đã đầy ({active} công việc đang chạy hoặc chờ, tối đa {capacity}); "
                f"hãy gửi lại sau {RETRY_AFTER_S} giây. / The job queue is full ({active} jobs running "
                f"or waiting, at most {capacity}); submit again after {RETRY_AFTER_S} seconds."
            )

    def clean(self) -> None:
        """Jobs whose process died no longer count (they are marked failed)."""
        fail_interrupted(self.engine, self.jobs)

    # -- synchronous executions ------------------------------------------------------------------
    @contextmanager
    def sync_slot(self, process_id: str) -> Iterator[None]:
        """Hold a slot for a synchronous execution in this thread, or raise 429 at once."""
        conn = self.engine.raw_connection()
        try:
            cur = conn.cursor()
            if slots.try_now(cur, process_id, self.settings.max_jobs) is None:
                raise JobQueueFullError(
                    "Không còn chỗ để chạy đồng bộ: mọi vị trí đang bận hoặc có công việc đang chờ; "
                    "hãy gửi bất đồng bộ (Prefer: respond-async) hoặc thử lại sau. / No free slot for "
                    "a synchronous execution: every slot is busy or jobs are waiting; submit it "
                    "asynchronously (Prefer: respond-async) or retry later."
                )
            conn.commit()
            yield
        finally:
            _release(conn)

    def fail_unqueued(self, job_id: str) -> None:
        """A job that could not be queued does not stay ``accepted`` (it would hold a place)."""
        now = datetime.now(UTC).replace(tzinfo=None)
        stmt = (
            sa.update(self.jobs)
            .where(self.jobs.c.identifier == job_id)
            .values(status="failed", message=JobQueueUnavailableError.MESSAGE, finished=now, updated=now)
        )
        with self.engine.begin() as conn:
            conn.execute(stmt)


def _release(conn: Any) -> None:
    """Unlock everything the session holds and give the connection back to the pool (or drop it
    when that fails: a closed session holds no lock)."""
    try:
        conn.rollback()
        slots.release_all(conn.cursor())
        conn.commit()
    except Exception:  # whatever failed, the connection must not go back to the pool
        conn.invalidate()
    finally:
        conn.close()


def subscriber_dict(subscriber: Any) -> dict[str, Any] | None:
    return dataclasses.asdict(subscriber) if subscriber is not None else None
