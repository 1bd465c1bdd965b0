"""The bounded job queue on a real server (2 gunicorn workers, 2 slots, 2 places in the queue, one
job worker as ``dothi serve`` starts it): bursts are refused with 429 beyond ``max_jobs + queue``,
at most ``max_jobs`` jobs run at once and runs of one process one after the other, synchronous
executions take a slot or get 429, a killed worker frees its slots and its job fails with a
message, a dismissed queued job never runs, and no zombie is left."""

from __future__ import annotations

import itertools
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from api_config.processes import slots
from tests.api_config import jobworkers, procs
from tests.api_config.limits_server import (
    SLEEP,
    SLEEP_2,
    LimitsServer,
    headers,
)

FINAL = ("successful", "failed", "dismissed")
#: The client reading job states and results (an analyst key sees every job).
OBSERVER = "192.0.2.250"


def _submit(
    server: LimitsServer, process: str, seconds: float, client: str, **inputs: Any
) -> requests.Response:
    return requests.post(
        f"{server.base}/processes/{process}/execution",
        json={"inputs": {"seconds": seconds, **inputs}},
        headers=headers(client, Prefer="respond-async"),
        timeout=60,
    )


def _job(resp: requests.Response) -> str:
    return resp.headers["Location"].rsplit("/", 1)[-1]


def _status(server: LimitsServer, job: str) -> dict[str, Any]:
    return requests.get(
        f"{server.base}/jobs/{job}", params={"f": "json"}, headers=headers(OBSERVER), timeout=30
    ).json()


def _wait_final(server: LimitsServer, jobs: list[str], *, timeout: float = 120) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        states = {job: _status(server, job)["status"] for job in jobs}
        if all(s in FINAL for s in states.values()) or time.monotonic() > deadline:
            return states
        time.sleep(0.5)


def _busy(server: LimitsServer) -> int:
    with server.engine.connect() as conn:
        return slots.busy_slots(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]


def _zombies(server: LimitsServer) -> list[procs.Proc]:
    return [p for p in procs.descendants(server.proc.pid) if p.state == "Z"]


def _result(server: LimitsServer, job: str) -> dict[str, Any]:
    return requests.get(
        f"{server.base}/jobs/{job}/results", params={"f": "json"}, headers=headers(OBSERVER), timeout=30
    ).json()


def test_burst_is_bounded_across_workers(limits_server: LimitsServer) -> None:
    server = limits_server
    with ThreadPoolExecutor(10) as pool:
        replies = list(
            pool.map(
                lambda i: _submit(server, (SLEEP, SLEEP_2)[i % 2], 1.5, f"192.0.2.{i + 10}"),
                range(10),
            )
        )
    codes = sorted(r.status_code for r in replies)
    assert codes == [201] * 4 + [429] * 6, codes  # max_jobs 2 + queue 2
    for refused in (r for r in replies if r.status_code == 429):
        assert int(refused.headers["Retry-After"]) >= 1
        description = refused.json()["description"]
        assert "The job queue is full" in description and "Hàng đợi công việc đã đầy" in description
    jobs = [_job(r) for r in replies if r.status_code == 201]
    most_running = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        most_running = max(most_running, _busy(server))
        if all(_status(server, j)["status"] in FINAL for j in jobs):
            break
        time.sleep(0.1)
    print(
        f"\nburst of 10: {codes.count(201)} accepted, {codes.count(429)} refused; "
        f"at most {most_running} running"
    )
    assert _wait_final(server, jobs) == dict.fromkeys(jobs, "successful")
    assert 1 <= most_running <= 2
    runs = [_result(server, j) for j in jobs]
    by_process: dict[int, list[tuple[float, float]]] = {}
    for reply, run in zip((r for r in replies if r.status_code == 201), runs, strict=True):
        process = 0 if f"/{SLEEP}/" in reply.url else 1
        by_process.setdefault(process, []).append((run["start"], run["end"]))
    for intervals in by_process.values():  # runs of one process never overlap
        intervals.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(intervals))
    time.sleep(1)
    assert _zombies(server) == []


def test_synchronous_execution_takes_a_slot_or_gets_429(limits_server: LimitsServer) -> None:
    server = limits_server
    jobs = [_job(_submit(server, p, 4, f"192.0.2.{30 + i}")) for i, p in enumerate((SLEEP, SLEEP_2))]
    deadline = time.monotonic() + 60
    while _busy(server) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _busy(server) == 2
    url = f"{server.base}/processes/{SLEEP_2}/execution"
    refused = requests.post(url, json={"inputs": {"seconds": 0}}, headers=headers("192.0.2.40"), timeout=60)
    assert refused.status_code == 429, refused.text
    assert "No free slot for a synchronous execution" in refused.json()["description"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert _wait_final(server, jobs) == dict.fromkeys(jobs, "successful")
    served = requests.post(url, json={"inputs": {"seconds": 0}}, headers=headers("192.0.2.41"), timeout=60)
    assert served.status_code == 200, served.text
    assert _busy(server) == 0  # the synchronous run gave its slot back


def test_killed_worker_frees_its_slot(limits_server: LimitsServer) -> None:
    """SIGKILL of the job worker mid-job: its slot is free at once, the job is marked failed by
    the next worker's heartbeat check within seconds, and the API never answers 5xx."""
    server = limits_server
    job = _job(_submit(server, SLEEP, 120, "192.0.2.50"))
    deadline = time.monotonic() + 60
    while _status(server, job)["status"] != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _busy(server) == 1 and _status(server, job)["status"] == "running"
    (worker,) = server.workers
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    deadline = time.monotonic() + 30
    while _busy(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _busy(server) == 0  # the slot went with the worker's database session
    server.restart_worker()
    stalled_s = float(jobworkers.FAST["DOTHI_JOBS_STALLED_S"])
    started = time.monotonic()
    while time.monotonic() - started < stalled_s + 20:  # bounded: heartbeat timeout + a margin
        reply = requests.get(
            f"{server.base}/jobs/{job}", params={"f": "json"}, headers=headers(OBSERVER), timeout=30
        )
        assert reply.status_code == 200, reply.text
        if reply.json()["status"] == "failed":
            break
        time.sleep(0.3)
    status = _status(server, job)
    assert status["status"] == "failed" and "Job interrupted: its worker" in status["message"]
    assert "Công việc bị gián đoạn" in status["message"] and "Submit the job again" in status["message"]
    again = _submit(server, SLEEP, 0, "192.0.2.51")
    assert _wait_final(server, [_job(again)]) == {_job(again): "successful"}


def test_runs_of_one_indicator_all_succeed(limits_server: LimitsServer) -> None:
    """Concurrent submissions of the same indicator: serialised, no duplicate keys or deadlocks."""
    server = limits_server
    url = f"{server.base}/processes/population_density-run/execution"
    with ThreadPoolExecutor(3) as pool:
        replies = list(
            pool.map(
                lambda i: requests.post(
                    url,
                    json={"inputs": {}},
                    headers=headers(f"192.0.2.{60 + i}", Prefer="respond-async"),
                    timeout=60,
                ),
                range(3),
            )
        )
    assert [r.status_code for r in replies] == [201] * 3
    jobs = [_job(r) for r in replies]
    assert _wait_final(server, jobs, timeout=180) == dict.fromkeys(jobs, "successful")


def test_job_dismissed_while_waiting_does_not_run(limits_server: LimitsServer, tmp_path: Path) -> None:
    server = limits_server
    first = _job(_submit(server, SLEEP, 3, "192.0.2.70"))
    marker = tmp_path / "ran"
    waiting = _job(_submit(server, SLEEP, 0, "192.0.2.71", marker=str(marker)))  # behind the first
    dismissed = requests.delete(
        f"{server.base}/jobs/{waiting}", params={"f": "json"}, headers=headers("192.0.2.71"), timeout=30
    )
    assert dismissed.status_code == 200, dismissed.text
    assert _wait_final(server, [first]) == {first: "successful"}
    with server.engine.connect() as conn:
        queued = conn.execute(
            sa.text("SELECT status FROM jobs_queue.procrastinate_jobs WHERE queueing_lock = :q"),
            {"q": f"job:{waiting}"},
        ).scalar_one()
    assert queued == "cancelled"
    time.sleep(1)
    assert not marker.exists()
