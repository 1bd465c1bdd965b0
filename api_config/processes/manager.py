"""pygeoapi's PostgreSQL job manager, with asynchronous jobs on a task queue any node can feed.

Jobs (status, progress, results) live in a PostgreSQL table, so they survive a server restart and
every API node answers ``/jobs/{id}`` alike.  Stock pygeoapi runs asynchronous jobs as threads
inside the web worker, which competes with requests and dies with the worker; here an
asynchronous job is only *queued* (:mod:`api_config.processes.taskqueue`, procrastinate on
PostgreSQL) and job workers (:mod:`api_config.processes.worker`, ``dothi jobs worker``) on any
machine run it.  Admission stays bounded (:mod:`api_config.processes.queue`: at most ``max_jobs``
running and ``queue`` waiting over all nodes, 429 beyond); a job whose worker died is found by
the queue's heartbeats, not by process ids.  A synchronous execution runs in the web worker
itself, holding a slot; it records that process so a crash of it marks the job ``failed``
(:mod:`api_config.processes.interrupted`).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from pygeoapi.process.base import JobResultNotFoundError
from pygeoapi.process.manager.postgresql import PostgreSQLManager
from pygeoapi.util import JobStatus, ProcessExecutionMode, RequestedProcessExecutionMode
from sqlalchemy import insert, select, update

from api_config.processes.interrupted import fail_interrupted, jobs_table
from api_config.processes.liveness import identify
from api_config.processes.queue import JobQueue, JobQueueUnavailableError, QueueSettings, subscriber_dict
from api_config.processes.taskqueue import TaskQueue
from api_config.security import identity
from api_config.security.jobs import record_owner, visible

#: ``output_dir`` value meaning "results in the jobs table" (pygeoapi's schema requires a string).
IN_DATABASE = "in-database"


class DothiJobManager(PostgreSQLManager):
    """Jobs and their results in PostgreSQL; async execution by the job workers."""

    def __init__(self, manager_def: dict[str, Any]) -> None:
        self._definition = dict(manager_def)  # the connection a job's slot session uses
        self._local = threading.local()
        manager_def = dict(manager_def)
        if manager_def.get("output_dir") == IN_DATABASE:
            manager_def["output_dir"] = None
        super().__init__(manager_def)
        self._jobs = jobs_table(self._engine, self.db_search_path[0])
        fail_interrupted(self._engine, self._jobs)  # jobs cut off by the last stop or crash
        self.queue = JobQueue(self._engine, self._jobs, QueueSettings.from_manager_def(manager_def))
        self.tasks = TaskQueue(manager_def["connection"])

    # pygeoapi keeps the processor of the current execution on the manager: one per thread here
    @property
    def processor(self) -> Any:
        return getattr(self._local, "processor", None)

    @processor.setter
    def processor(self, value: Any) -> None:
        self._local.processor = value

    def execute_process(self, process_id: str, data_dict: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        """A synchronous execution holds a job slot while it runs (429 when none is free)."""
        self._local.process_id = process_id
        self._local.is_async = self._runs_async(
            process_id, kwargs.get("execution_mode", args[0] if args else None)
        )
        if self._local.is_async:
            return super().execute_process(process_id, data_dict, *args, **kwargs)
        with self.queue.sync_slot(process_id):
            return super().execute_process(process_id, data_dict, *args, **kwargs)

    def _runs_async(self, process_id: str, mode: Any) -> bool:
        """pygeoapi's choice between the two handlers (BaseManager.execute_process)."""
        options = self.get_processor(process_id).metadata.get("jobControlOptions", [])
        if mode == RequestedProcessExecutionMode.respond_async:
            return self.is_async and ProcessExecutionMode.async_execute.value in options
        return ProcessExecutionMode.sync_execute.value not in options

    def add_job(self, job_metadata: dict[str, Any]) -> str:
        """Insert the job with who submitted it (:mod:`api_config.security.jobs`) — when the queue
        has room (429 otherwise).  A synchronous execution also records this process (it runs
        here); a queued job records none (its worker's heartbeats tell whether it lives)."""
        submitter = identity.current()
        self.queue.clean()
        with self._engine.begin() as conn:
            self.queue.admit(conn)
            process = {} if getattr(self._local, "is_async", False) else identify().as_columns()
            conn.execute(insert(self._jobs).values(**job_metadata, **process))
            if submitter is not None:
                record_owner(conn, str(job_metadata["identifier"]), submitter)
        return str(job_metadata["identifier"])

    def get_job(self, job_id: str) -> dict[str, Any]:
        fail_interrupted(self._engine, self._jobs, job_id=job_id)
        return dict(super().get_job(job_id))

    def get_jobs(
        self, status: JobStatus | None = None, limit: Any = None, offset: Any = None
    ) -> dict[str, Any]:
        fail_interrupted(self._engine, self._jobs)
        return visible(self._engine, dict(super().get_jobs(status=status, limit=limit, offset=offset)))

    def _execute_handler_async(
        self,
        p: Any,
        job_id: str,
        data_dict: dict[str, Any],
        requested_outputs: Any = None,
        *,
        subscriber: Any = None,
        requested_response: Any = None,
    ) -> Any:
        job = {
            "process_id": getattr(self._local, "process_id", None) or p.metadata["id"],
            "job_id": job_id,
            "data": data_dict,
            "requested_outputs": requested_outputs,
            "requested_response": requested_response,
            "subscriber": subscriber_dict(subscriber),
            "submitter": identity.as_dict(identity.current()),  # the job process runs on its behalf
        }
        try:
            self.tasks.defer(job)
        except Exception as err:  # no queue (database not migrated) or no connection
            self.queue.fail_unqueued(job_id)
            raise JobQueueUnavailableError() from err
        return "application/json", None, JobStatus.accepted

    def _execute_handler_sync(self, p: Any, job_id: str, *args: Any, **kwargs: Any) -> Any:
        """Run the job, then keep its result in the jobs table (pygeoapi 0.24 only writes files)."""
        mimetype, outputs, status = super()._execute_handler_sync(p, job_id, *args, **kwargs)
        if status == JobStatus.successful and self.table_output:
            payload = outputs if isinstance(outputs, bytes) else json.dumps(outputs).encode("utf-8")
            with self._engine.begin() as conn:
                conn.execute(
                    update(self.table_model).where(self.c.identifier == job_id).values(output=payload)
                )
        return mimetype, outputs, status

    def delete_job(self, job_id: str) -> bool:
        """Dismissal: a queued job is taken out of the queue (it never runs), then deleted."""
        try:
            self.tasks.cancel(job_id)
        except Exception as err:  # the queue is unreachable: the job stays, say so (503)
            raise JobQueueUnavailableError() from err
        return bool(super().delete_job(job_id))

    def get_job_result(self, job_id: str) -> tuple[Any, ...]:
        """The result stored in the jobs table (``(None,)`` while the job is not finished)."""
        if not self.table_output:
            return super().get_job_result(job_id)
        job = self.get_job(job_id)
        if JobStatus[job["status"]] != JobStatus.successful:
            return (None,)
        with self._engine.connect() as conn:
            row = conn.execute(select(self.c.output).where(self.c.identifier == job_id)).first()
        if row is None or row[0] is None:
            raise JobResultNotFoundError()
        mimetype = job.get("mimetype") or "application/json"
        data = bytes(row[0])
        if mimetype == "application/json":
            return mimetype, json.loads(data)
        # pygeoapi passes other media types through as they are (GeoJSON as its text)
        return mimetype, data.decode("utf-8") if "json" in mimetype else data
