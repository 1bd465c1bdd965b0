"""Benchmark: OGC API jobs on the PostgreSQL task queue with two API nodes and two job workers
(issue 15).  Prints a Markdown section for ``bench/RESULTS.md`` (``--record`` appends it).

    .venv/bin/python bench/bench_jobs_queue.py [--latency 20] [--jobs 40] [--record]

Two gunicorn nodes (1 worker × 4 threads each) on loopback and two ``dothi jobs worker``
processes share the embedded cluster's database ``dothi_bench_jobs`` (made afresh: migrations and
the Mỹ Tho wards).  The jobs are the tests' sleeping process with 0 s of sleep, so what is measured
is the queue: admission, queueing, LISTEN/NOTIFY, fetch, slot, status and result writes.

(a) **latency**: ``--latency`` jobs one after the other, submitted on node A, polled every 20 ms
    on node B until ``successful``;
(b) **throughput**: ``--jobs`` jobs submitted at once over both nodes (``DOTHI_API_JOB_QUEUE`` set
    so all are admitted), time until all are ``successful``; ``MAX_JOBS`` = 2;
(c) **dead worker**: one worker runs a long job and is killed with SIGKILL; time until node B
    reports the job ``failed``, with heartbeat 0.5 s and stalled after 3 s (the defaults are 10 s
    and 30 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config import server  # noqa: E402
from api_config.security.keys import create_key  # noqa: E402
from gis import migrate  # noqa: E402
from gis.cluster import EmbeddedCluster  # noqa: E402
from gis.engine import create_engine, database_url, drop_database, ensure_database  # noqa: E402
from gis.settings import DatabaseSettings  # noqa: E402
from layers.catalog import ADMIN_UNITS  # noqa: E402
from layers.load import load_frame  # noqa: E402
from layers.sources import mytho  # noqa: E402
from tests.api_config import test_jobs_multinode as multi  # noqa: E402
from tests.conftest import VERSION_DIRS, wait_until_serving  # noqa: E402

OUT = ROOT / "bench" / "out" / "jobs"


def _cluster(db: DatabaseSettings, jobs: int) -> Any:
    """Two nodes and two workers (the multi-node test's set-up, with a queue of ``jobs``)."""
    multi.QUEUE = jobs
    url = database_url(db).set(database="dothi_bench_jobs")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    for bundle in mytho.admin_unit_bundles():
        load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    OUT.mkdir(parents=True, exist_ok=True)
    made = multi.Cluster([], [], engine, create_key(engine, "bench", "analyst")[1], OUT)
    for name in ("a", "b"):
        api, env = multi._node(engine, url, OUT / name)
        log = OUT / f"node-{name}.log"
        with log.open("w") as out:
            made.gunicorns.append(
                subprocess.Popen(server.gunicorn_command(api), env=env, stdout=out, stderr=out)
            )
        wait_until_serving(api.url, made.gunicorns[-1], log)
        made.nodes.append(api.url)
        made.envs.append(env)
    made.start_worker(0)
    made.start_worker(1)
    return made


def _latency(made: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        reply = made.submit(0, "sleep-a", 0)
        job = reply.headers["Location"].rsplit("/", 1)[-1]
        while made.status(1, job) != "successful":
            time.sleep(0.02)
        out.append(time.perf_counter() - t0)
    return out


def _throughput(made: Any, n: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        replies = list(
            pool.map(lambda i: made.submit(i % 2, ("sleep-a", "sleep-b", "sleep-c")[i % 3], 0), range(n))
        )
    jobs = [r.headers["Location"].rsplit("/", 1)[-1] for r in replies if r.status_code == 201]
    states = made.wait(jobs, timeout=600)
    ok = sum(s == "successful" for s in states.values())
    return time.perf_counter() - t0, ok


def _registered(made: Any) -> int:
    with made.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM jobs_queue.procrastinate_workers").scalar_one())


def _dead_worker(made: Any) -> float:
    made.stop_workers()
    victim = made.start_worker(0)
    reply = made.submit(0, "sleep-a", 120)
    job = reply.headers["Location"].rsplit("/", 1)[-1]
    while made.status(1, job) != "running":
        time.sleep(0.1)
    made.start_worker(1)
    while _registered(made) < 2:  # the second worker is up and sends heartbeats
        time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    made.workers.remove(victim)
    t0 = time.perf_counter()
    while made.status(1, job) != "failed":
        time.sleep(0.1)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    args = parser.parse_args()
    db = DatabaseSettings()
    if not db.external:
        EmbeddedCluster(db.data_dir, db_name=db.db_name).up()
    made = _cluster(db, args.jobs)
    try:
        made.submit(0, "sleep-a", 0)  # warm-up: imports in the workers
        time.sleep(3)
        lat = _latency(made, args.latency)
        took, ok = _throughput(made, args.jobs)
        dead = _dead_worker(made)
    finally:
        made.stop_workers()
        for proc in made.gunicorns:
            proc.terminate()
            proc.wait(timeout=30)
        made.engine.dispose()
    load = os.getloadavg()
    ms = sorted(x * 1000 for x in lat)
    section = (
        f"\n## Jobs on the task queue, two nodes and two workers (issue 15) — "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`{' '.join(['.venv/bin/python', 'bench/bench_jobs_queue.py', *sys.argv[1:]])}` on "
        f"{platform.node()} ({os.cpu_count()} CPUs), load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(other agents share the machine).\n\n"
        "| measure | figure |\n|---|---|\n"
        f"| submit on A → `successful` seen on B, 0 s job (median / p95 of {len(ms)}) | "
        f"{statistics.median(ms):.0f} ms / {ms[int(0.95 * (len(ms) - 1))]:.0f} ms |\n"
        f"| {args.jobs} jobs at once over both nodes, 2 slots | {ok} successful in {took:.1f} s "
        f"({ok / took:.1f} jobs/s) |\n"
        f"| worker SIGKILLed mid-job → `failed` on B (heartbeat 0.5 s, stalled 3 s) | {dead:.1f} s |\n"
    )
    print(section)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


if __name__ == "__main__":
    main()
