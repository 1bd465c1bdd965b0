"""Jobs whose process died (restart, SIGKILL, OOM) become ``failed``, not ``running`` forever.

A sleeping process run asynchronously by the real job manager on the test database; its child
process is killed with SIGKILL; the job is then read through the manager, through the running
API server (same database) and at a manager start.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from pygeoapi.process.base import BaseProcessor
from pygeoapi.util import RequestedProcessExecutionMode
from sqlalchemy.engine import URL, Engine

from api_config.processes.liveness import ProcessIdentity, boot_id, identify, is_gone
from api_config.processes.manager import IN_DATABASE, DothiJobManager
from gis.logins import api_logins
from gis.settings import DatabaseSettings
from tests.api_config import procs
from tests.conftest import bearer

SLEEP = "sleep-test"
ASYNC = RequestedProcessExecutionMode.respond_async


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


def _start_and_kill(manager: DothiJobManager, engine: Engine) -> tuple[str, int]:
    """An async sleeping job whose child process is SIGKILLed once the job is under way."""
    job = manager.execute_process(SLEEP, {"seconds": 120}, execution_mode=ASYNC)[0]
    pid = _row(engine, job).pid
    assert pid != os.getpid()  # the forked child, not the process that submitted the job
    assert manager.get_job(job)["status"] == "accepted"  # alive: left alone
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not is_gone(identify(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return job, pid


@pytest.fixture
def manager(loaded: Engine, test_url: URL) -> Iterator[DothiJobManager]:
    # as the API runs it: the analyst login (dothi_jobs), which may write the jobs table only
    yield _manager(api_logins(DatabaseSettings(), test_url).analyst)
    for child in procs.job_processes(os.getpid()):  # never leave a sleeper behind (a thread reaps it)
        os.kill(child.pid, signal.SIGKILL)


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
    fresh = manager.execute_process(SLEEP, {"seconds": 0.2}, execution_mode=ASYNC)[0]
    deadline = time.monotonic() + 60
    while manager.get_job(fresh)["status"] not in ("successful", "failed"):
        assert time.monotonic() < deadline, "the fresh job did not finish"
        time.sleep(0.2)
    assert manager.get_job(fresh)["status"] == "successful"
    assert manager.get_job_result(fresh) == ("application/json", {"slept": 0.2})


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
