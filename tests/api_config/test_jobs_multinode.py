"""Two API nodes and two job workers sharing one database (all on loopback, as on two machines).

Each node is its own gunicorn on its own port with its own generated configuration; each job worker
is ``dothi jobs worker`` started from one node's configuration.  A job submitted on node A is read
on node B; the bound on concurrent jobs (2) holds over both workers (each may run 2 or 3 at once);
the bounded queue refuses beyond with 429; a worker killed with SIGKILL mid-job leaves its
started jobs ``failed`` and its fetched-but-waiting job queued again, found through the queue's
heartbeats within seconds, with no 5xx on either node; jobs queued while no worker runs run once
one starts.  Every wait is a bounded loop; everything started is stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from sqlalchemy.engine import Engine

from api_config import server
from api_config.processes import slots
from api_config.security.keys import create_key
from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.logins import api_logins
from gis.settings import ApiSettings, DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.sources import mytho
from tests.api_config import jobworkers
from tests.api_config.sleep_process import process_resource
from tests.conftest import ROOT, VERSION_DIRS, free_port, wait_until_serving

SLEEPS = ("sleep-a", "sleep-b", "sleep-c")
FINAL = ("successful", "failed", "dismissed")
MAX_JOBS, QUEUE = 2, 2


@dataclass
class Cluster:
    nodes: list[str]  # base URLs of node A and node B
    envs: list[dict[str, str]]  # each node's environment (its config, passwords)
    engine: Engine
    token: str
    folder: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    gunicorns: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_worker(self, node: int, **extra: str) -> subprocess.Popen[bytes]:
        proc = jobworkers.start(self.envs[node], self.folder / f"worker-{len(self.workers)}.log", **extra)
        self.workers.append(proc)
        return proc

    def stop_workers(self) -> None:
        while self.workers:
            jobworkers.stop(self.workers.pop())

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **extra}

    def submit(self, node: int, process: str, seconds: float) -> requests.Response:
        return requests.post(
            f"{self.nodes[node]}/processes/{process}/execution",
            json={"inputs": {"seconds": seconds}},
            headers=self.headers(Prefer="respond-async"),
            timeout=60,
        )

    def job(self, node: int, job: str) -> requests.Response:
        return requests.get(
            f"{self.nodes[node]}/jobs/{job}", params={"f": "json"}, headers=self.headers(), timeout=30
        )

    def status(self, node: int, job: str) -> str:
        reply = self.job(node, job)
        assert reply.status_code < 500, reply.text  # never a 5xx, whatever the workers do
        return str(reply.json()["status"])

    def wait(self, jobs: list[str], *, timeout: float = 60, node: int = 1) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while True:
            states = {job: self.status(node, job) for job in jobs}
            if all(s in FINAL for s in states.values()) or time.monotonic() > deadline:
                return states
            time.sleep(0.3)

    def result(self, node: int, job: str) -> dict[str, Any]:
        reply = requests.get(
            f"{self.nodes[node]}/jobs/{job}/results", params={"f": "json"}, headers=self.headers(), timeout=30
        )
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    def busy(self) -> int:
        with self.engine.connect() as conn:
            return slots.busy_slots(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]


def _job(reply: requests.Response) -> str:
    assert reply.status_code == 201, reply.text
    return reply.headers["Location"].rsplit("/", 1)[-1]


def _node(engine: Engine, url: Any, folder: Path) -> tuple[ApiSettings, dict[str, str]]:
    api = ApiSettings(
        port=free_port(), workers=1, threads=4, max_jobs=MAX_JOBS, job_queue=QUEUE, execute_rate="0"
    )
    logins = api_logins(DatabaseSettings(), url)
    files = server.generate(engine, logins, api, folder)
    config = yaml.safe_load(files.config.read_text(encoding="utf-8"))
    for process in SLEEPS:
        config["resources"][process] = process_resource(process)
    files.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = server.server_env(files, logins, api)
    env["PYTHONPATH"] = str(ROOT)  # the sleeping process lives in tests/
    return api, env


@pytest.fixture(scope="module")
def cluster(db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_jobs_test")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    for bundle in mytho.admin_unit_bundles():
        load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    folder = tmp_path_factory.mktemp("jobs-multinode")
    made = Cluster([], [], engine, create_key(engine, "multinode", "analyst")[1], folder)
    try:
        for name in ("a", "b"):
            api, env = _node(engine, url, folder / name)
            log = folder / f"node-{name}.log"
            with log.open("w") as out:
                made.gunicorns.append(
                    subprocess.Popen(server.gunicorn_command(api), env=env, stdout=out, stderr=out)
                )
            wait_until_serving(api.url, made.gunicorns[-1], log)
            made.nodes.append(api.url)
            made.envs.append(env)
        made.start_worker(0)  # as if on node A's machine
        made.start_worker(1)  # as if on node B's machine
        yield made
    finally:
        made.stop_workers()
        for proc in made.gunicorns:
            proc.terminate()
            proc.wait(timeout=30)
        engine.dispose()


def test_a_job_submitted_on_one_node_is_read_on_the_other(cluster: Cluster) -> None:
    job = _job(cluster.submit(0, "sleep-a", 0.2))
    assert cluster.wait([job], node=1) == {job: "successful"}
    assert cluster.result(1, job)["slept"] == 0.2
    listed = requests.get(
        f"{cluster.nodes[1]}/jobs", params={"f": "json"}, headers=cluster.headers(), timeout=30
    ).json()
    assert job in {j["jobID"] for j in listed["jobs"]}


def test_the_bounds_hold_across_nodes_and_workers(cluster: Cluster) -> None:
    replies = [cluster.submit(i % 2, SLEEPS[i % 3], 2) for i in range(7)]
    codes = [r.status_code for r in replies]
    assert codes == [201] * (MAX_JOBS + QUEUE) + [429] * 3, codes
    for refused in replies[MAX_JOBS + QUEUE :]:
        assert int(refused.headers["Retry-After"]) >= 1
        assert "The job queue is full" in refused.json()["description"]
    jobs = [_job(r) for r in replies[: MAX_JOBS + QUEUE]]
    most_busy, deadline = 0, time.monotonic() + 60
    while time.monotonic() < deadline:
        most_busy = max(most_busy, cluster.busy())
        if all(cluster.status(i % 2, j) in FINAL for i, j in enumerate(jobs)):
            break
        time.sleep(0.1)
    assert cluster.wait(jobs) == dict.fromkeys(jobs, "successful")
    runs = [(r["start"], r["end"]) for r in (cluster.result(0, j) for j in jobs)]
    at_once = max(sum(s <= t < e for s, e in runs) for t, _ in runs)
    print(f"\n4 jobs over 2 nodes and 2 workers: at most {at_once} at once, {most_busy} slots busy")
    assert at_once == MAX_JOBS and most_busy <= MAX_JOBS  # each worker alone could run 2


def test_a_killed_worker_fails_its_started_jobs_and_requeues_the_waiting_one(cluster: Cluster) -> None:
    cluster.stop_workers()
    victim = cluster.start_worker(0, DOTHI_JOBS_CONCURRENCY="3")  # more than the free slots
    long_a = _job(cluster.submit(0, "sleep-a", 120))
    long_b = _job(cluster.submit(1, "sleep-b", 120))
    deadline = time.monotonic() + 60
    while {cluster.status(1, j) for j in (long_a, long_b)} != {"running"}:
        assert time.monotonic() < deadline, "the long jobs did not start"
        time.sleep(0.2)
    waiting = _job(cluster.submit(0, "sleep-c", 0.2))  # fetched by the victim, waits for a slot
    time.sleep(1.0)
    assert cluster.status(1, waiting) == "accepted" and cluster.busy() == MAX_JOBS
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    cluster.workers.remove(victim)
    cluster.start_worker(1)
    stalled_s = float(jobworkers.FAST["DOTHI_JOBS_STALLED_S"])
    started = time.monotonic()
    states = cluster.wait([long_a, long_b, waiting], timeout=stalled_s + 30)  # polls node B
    print(f"\nkilled worker: {sorted(states.values())} after {time.monotonic() - started:.1f} s")
    assert states == {long_a: "failed", long_b: "failed", waiting: "successful"}
    for job in (long_a, long_b):
        message = cluster.job(0, job).json()["message"]
        assert "Job interrupted: its worker" in message and "Công việc bị gián đoạn" in message


def test_jobs_queued_while_no_worker_runs_run_when_one_starts(cluster: Cluster) -> None:
    cluster.stop_workers()
    jobs = [_job(cluster.submit(i, SLEEPS[i], 0.1)) for i in range(2)]
    time.sleep(1.5)
    assert [cluster.status(1, j) for j in jobs] == ["accepted", "accepted"]
    cluster.start_worker(1)
    assert cluster.wait(jobs) == dict.fromkeys(jobs, "successful")


def test_a_job_its_worker_cannot_run_fails_with_a_message(cluster: Cluster) -> None:
    """A worker whose configuration lacks the process (deployed out of step with the nodes)."""
    cluster.stop_workers()
    config = yaml.safe_load(Path(cluster.envs[0]["PYGEOAPI_CONFIG"]).read_text(encoding="utf-8"))
    del config["resources"]["sleep-c"]
    stale = cluster.folder / "stale-config.yml"
    stale.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    cluster.start_worker(0, PYGEOAPI_CONFIG=str(stale))
    job = _job(cluster.submit(1, "sleep-c", 0))
    assert cluster.wait([job]) == {job: "failed"}
    message = cluster.job(0, job).json()["message"]
    assert "The job worker could not run the job" in message and "Worker không chạy được" in message
    cluster.stop_workers()
    cluster.start_worker(1)
    again = _job(cluster.submit(0, "sleep-c", 0))
    assert cluster.wait([again]) == {again: "successful"}
