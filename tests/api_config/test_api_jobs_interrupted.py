"""Synchronous executions whose process died (restart, SIGKILL, OOM) become ``failed``, not
``running`` forever.

A synchronous execution runs in the web worker that received it and records that process.  Here a
child process stands for the web worker: it runs a sleeping process synchronously through the real
job manager on the test database and is killed with SIGKILL; the job is then read through the
manager, through the running API server (same database) and at a manager start.  (Queued jobs
record no process: their worker's heartbeats tell, see test_jobs_multinode.py.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from pygeoapi.process.base import BaseProcessor
from pygeoapi.util import JobStatus
from sqlalchemy.engine import URL, Engine

from api_config.processes.liveness import ProcessIdentity, boot_id, identify, is_gone
from api_config.processes.manager import IN_DATABASE, DothiJobManager
from gis.logins import api_logins
from gis.settings import DatabaseSettings
from tests.conftest import ROOT, bearer

SLEEP = "sleep-test"


class SleepProcessor(BaseProcessor):
    """Sleeps ``seconds`` (a stand-in for a long indicator run)."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        metadata = {"id": SLEEP, "version": "1", "jobControlOptions": ["sync-execute", "async-execute"]}
        super().__init__(processor_def, metadata)

    def execute(self, data: dict[str, Any], outputs: Any = None) -> tuple[str, Any]:  # noqa: ARG002
        time.sleep(float(data["seconds"]))
        return "application/json", {"slept": data["seconds"]}


def _manager(url: URL) -> DothiJobManager:
    return DothiJobManager(
        {
            "name": "api_config.processes.manager.DothiJobManager",
            "connection": {
                "host": url.host,
                "port": url.port or 5432,
                "dbname": url.database,
                "user": url.username,
                "password": url.password or "",
                "search_path": ["public"],
            },
            "output_dir": IN_DATABASE,
            "processes": {SLEEP: {"processor": {"name": f"{__name__}.SleepProcessor"}}},
        }
    )


def _row(engine: Engine, job: str) -> sa.Row[Any]:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT status, message, pid FROM public.jobs WHERE identifier = :j"), {"j": job}
        ).one()


#: The stand-in web worker: a synchronous execution of the sleeping process (two minutes).
CHILD = (
    "import os; from sqlalchemy.engine import make_url; "
    "from tests.api_config.test_api_jobs_interrupted import SLEEP, _manager; "
    "_manager(make_url(os.environ['JOB_DB_URL'])).execute_process(SLEEP, {'seconds': 120})"
)


def _start_and_kill(manager: DothiJobManager, engine: Engine) -> tuple[str, int]:
    """A synchronous sleeping job whose process is SIGKILLed once the job is under way."""
    url = manager._engine.url.render_as_string(hide_password=False)
    before = {r[0] for r in _identifiers(engine)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], env={**os.environ, "JOB_DB_URL": url, "PYTHONPATH": str(ROOT)}
    )
    try:
        deadline = time.monotonic() + 60
        while not (new := {r[0] for r in _identifiers(engine)} - before):
            assert time.monotonic() < deadline and child.poll() is None, "the job did not start"
            time.sleep(0.1)
        (job,) = new
        assert _row(engine, job).pid == child.pid  # the process running it
        assert manager.get_job(job)["status"] in ("accepted", "running")  # alive: left alone
    finally:
        child.kill()
        child.wait()
    assert is_gone(identify(child.pid))
    return job, child.pid


def _identifiers(engine: Engine) -> list[sa.Row[Any]]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT identifier FROM public.jobs")))


@pytest.fixture
def manager(loaded: Engine, test_url: URL) -> Iterator[DothiJobManager]:
    # as the API runs it: the analyst login (dothi_jobs), which may write the jobs table only
    yield _manager(api_logins(DatabaseSettings(), test_url).analyst)


def _assert_interrupted(status: str, message: str, pid: int) -> None:
    assert status == "failed"
    assert "gián đoạn" in message and "interrupted (server restart or crash)" in message
    assert f"process {pid} on {socket.gethostname()}" in message and "Submit the job again" in message


def test_killed_job_fails_when_read(manager: DothiJobManager, loaded: Engine) -> None:
    job, pid = _start_and_kill(manager, loaded)
    assert _row(loaded, job).status == "accepted"  # nothing has looked yet
    seen = manager.get_job(job)
    _assert_interrupted(seen["status"], seen["message"], pid)
    assert _row(loaded, job).status == "failed"  # stored, not only reported
    assert manager.get_job_result(job) == (None,)
    fresh = manager.execute_process(SLEEP, {"seconds": 0.2})  # its slot was freed with the process
    assert fresh[3] == JobStatus.successful
    assert manager.get_job_result(fresh[0]) == ("application/json", {"slept": 0.2})


def test_killed_job_fails_at_server_start(manager: DothiJobManager, loaded: Engine, test_url: URL) -> None:
    job, pid = _start_and_kill(manager, loaded)
    assert _row(loaded, job).status == "accepted"
    _manager(api_logins(DatabaseSettings(), test_url).analyst)  # what every server (worker) start does
    row = _row(loaded, job)
    _assert_interrupted(row.status, row.message, pid)


def test_killed_job_fails_through_the_api(
    manager: DothiJobManager, loaded: Engine, api_server: str, api_keys: dict[str, str]
) -> None:
    job, pid = _start_and_kill(manager, loaded)
    analyst = bearer(api_keys["ana"])  # a job submitted outside the API has no owner: analysts see it
    listed = requests.get(f"{api_server}/jobs", params={"f": "json"}, headers=analyst, timeout=30).json()
    mine = next(j for j in listed["jobs"] if j["jobID"] == job)
    _assert_interrupted(mine["status"], mine["message"], pid)
    one = requests.get(f"{api_server}/jobs/{job}", params={"f": "json"}, headers=analyst, timeout=30).json()
    _assert_interrupted(one["status"], one["message"], pid)
    results = requests.get(
        f"{api_server}/jobs/{job}/results", params={"f": "json"}, headers=analyst, timeout=30
    )
    assert results.status_code >= 400


def test_liveness_of_recorded_processes() -> None:
    me = identify()
    assert me.started is not None and not is_gone(me)
    fields = {"pid": me.pid, "host": me.host, "boot_id": me.boot_id}
    assert is_gone(ProcessIdentity(**fields, started=me.started + 1))  # pid reused by another process
    assert is_gone(ProcessIdentity(**{**fields, "boot_id": "another-boot"}, started=me.started))
    # a process on another machine cannot be checked from here: left alone
    assert not is_gone(ProcessIdentity(me.pid + 10**7, "another-host", boot_id(), None))
