"""A bounded job queue for OGC API – Processes, held in PostgreSQL across every web worker.

* **Admission**: a submission is admitted only while fewer than ``max_jobs + queue`` jobs are
  ``accepted`` or ``running`` (counted under a transaction-level advisory lock, in the transaction
  that inserts the job); beyond, HTTP 429 with ``Retry-After``.
* **Concurrency**: a job runs while its database session holds one of ``max_jobs`` slot locks and
  its process's lock (:mod:`api_config.processes.slots`), so the bound holds across workers and a
  killed job frees its slot with its connection.
* **Asynchronous jobs** run in a new process (``python -m api_config.processes.jobrunner``: fork +
  exec, safe from a multi-threaded web worker, unlike a bare ``fork``) that first waits for its slot
  with nothing heavy imported; a thread of the web worker waits for it, so no zombie is left.
* **Synchronous executions** take a slot at once or are refused with 429 (they never wait in a
  request thread).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
RUNNER = "api_config.processes.jobrunner"


class JobQueueFullError(ProcessorExecuteError):
    """No room for another job (HTTP 429)."""

    http_status_code = HTTPStatus.TOO_MANY_REQUESTS
    ogc_exception_code = "TooManyRequests"

    def __init__(self, message: str) -> None:
        super().__init__(message, user_msg=message)
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

    # -- asynchronous jobs -----------------------------------------------------------------------
    def spawn(self, manager_def: dict[str, Any], job: dict[str, Any]) -> subprocess.Popen[bytes]:
        """Start the job's process (it waits for its slot itself) and a thread reaping it."""
        payload = {"manager": manager_def, "job": job, "max_jobs": self.settings.max_jobs}
        child = subprocess.Popen([sys.executable, "-m", RUNNER], stdin=subprocess.PIPE)
        stdin = child.stdin
        if stdin is None:  # pragma: no cover - stdin=PIPE always gives one
            raise RuntimeError("job process without standard input")
        stdin.write(json.dumps(payload, default=str).encode("utf-8"))
        stdin.close()
        threading.Thread(target=child.wait, name=f"reap-{child.pid}", daemon=True).start()
        return child


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
