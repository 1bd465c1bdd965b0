"""The job queue's schema (revision 0015_jobs_queue) under least privilege (real PostGIS): the
analyst login queues, fetches and cancels jobs through procrastinate's functions; the reader login
and PUBLIC get nothing; nobody but the owner may change the schema.  Every refusal is checked to
be a permission failure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from psycopg2 import errors
from sqlalchemy.engine import URL, Engine

from api_config.processes.taskqueue import QUEUE, TASK, TaskQueue
from gis.logins import ApiLogins, api_logins
from gis.settings import DatabaseSettings

DENIED = errors.InsufficientPrivilege


@pytest.fixture(scope="module")
def logins(loaded: Engine, test_url: URL) -> ApiLogins:
    return api_logins(DatabaseSettings(), test_url)


def _cursor(url: URL) -> Iterator[Any]:
    conn = psycopg2.connect(
        host=url.host, port=url.port, dbname=url.database, user=url.username, password=url.password
    )
    conn.autocommit = True
    try:
        yield conn.cursor()
    finally:
        conn.close()


def _connection(url: URL) -> dict[str, Any]:
    return {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }


def test_the_analyst_queues_and_cancels_a_job(logins: ApiLogins) -> None:
    tasks = TaskQueue(_connection(logins.analyst))
    job_id = "roles-test-job"
    try:
        # due in an hour: the job workers of API servers that other tests started on this database
        # must not take it before it is cancelled (TaskQueue.defer is tested in test_jobs_multinode)
        deferrer = tasks.app().configure_task(
            TASK,
            queue=QUEUE,
            lock="process:roles-test",
            queueing_lock=f"job:{job_id}",
            schedule_in={"hours": 1},
        )
        queued = deferrer.defer(job={"process_id": "roles-test", "job_id": job_id})
        assert queued > 0
        assert tasks.cancel(job_id) is True
        assert tasks.cancel(job_id) is False  # nothing queued any more
        (entry,) = tasks.app().job_manager.list_jobs(queueing_lock=f"job:{job_id}")
        assert (entry.task_name, entry.queue, str(getattr(entry.status, "value", entry.status))) == (
            TASK,
            QUEUE,
            "cancelled",
        )
    finally:
        tasks.close()


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT count(*) FROM jobs_queue.procrastinate_jobs",
        "SELECT jobs_queue.procrastinate_register_worker_v1()",
        "CREATE TABLE jobs_queue.intruder (id int)",
    ],
)
def test_the_reader_gets_nothing_of_the_queue(logins: ApiLogins, statement: str) -> None:
    for cur in _cursor(logins.reader):
        with pytest.raises(DENIED):
            cur.execute(statement)


def test_the_analyst_may_not_change_the_queue_schema(logins: ApiLogins) -> None:
    for cur in _cursor(logins.analyst):
        cur.execute("SELECT count(*) FROM jobs_queue.procrastinate_workers")  # may use it
        for statement in (
            "CREATE TABLE jobs_queue.intruder (id int)",
            "DROP TABLE jobs_queue.procrastinate_events",
            "ALTER TABLE jobs_queue.procrastinate_jobs ADD COLUMN x int",
        ):
            with pytest.raises(DENIED):
                cur.execute(statement)
