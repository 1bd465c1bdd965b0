"""pygeoapi's PostgreSQL job manager, with asynchronous jobs in their own process.

Jobs (status, progress, results) live in a PostgreSQL table, so they survive a server restart.  Stock
pygeoapi runs asynchronous jobs as threads inside the web worker, which competes with requests
and dies with the worker; here each asynchronous job runs in a forked child process that owns
fresh database connections.
"""

from __future__ import annotations

import json
import multiprocessing
from typing import Any

from pygeoapi.process.base import JobResultNotFoundError
from pygeoapi.process.manager.postgresql import PostgreSQLManager
from pygeoapi.util import JobStatus
from sqlalchemy import select, update

from api_config.providers import db

#: ``output_dir`` value meaning "results in the jobs table" (pygeoapi's schema requires a string).
IN_DATABASE = "in-database"


class DothiJobManager(PostgreSQLManager):
    """Jobs and their results in PostgreSQL; async execution in a child process."""

    def __init__(self, manager_def: dict[str, Any]) -> None:
        manager_def = dict(manager_def)
        if manager_def.get("output_dir") == IN_DATABASE:
            manager_def["output_dir"] = None
        super().__init__(manager_def)

    def _execute_handler_async(
        self, p: Any, job_id: str, data_dict: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        ctx = multiprocessing.get_context("fork")
        child = ctx.Process(
            target=self._run_in_child, args=(p, job_id, data_dict, *args), kwargs=kwargs, daemon=False
        )
        child.start()
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

    def _run_in_child(self, *args: Any, **kwargs: Any) -> None:
        # connections inherited from the web worker must not be shared: drop them, open new ones
        self._engine.dispose(close=False)
        db.dispose_all()
        self._execute_handler_sync(*args, **kwargs)
