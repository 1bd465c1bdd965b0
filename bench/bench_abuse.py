"""Benchmark: the API under abuse (issue 11) — mixed read load, a database restart under load, a
job flood.  Prints a Markdown section for ``bench/RESULTS.md`` (``--record`` appends it).

    .venv/bin/python bench/bench_abuse.py [--duration 600] [--connections 8,64] [--database NAME]
                                          [--jobs 100] [--parts load,restart,flood] [--record]

It starts ``dothi serve``'s gunicorn (defaults of ``ApiSettings``: 2 workers × 4 threads, 1 job
slot, 8 places in the job queue) on the embedded cluster's database ``--database`` (default: the
demo database, ``make demo`` or ``dothi demo --no-serve``), with ``DOTHI_API_TRUSTED_PROXIES``
set to loopback so the flood's submissions come from 100 distinct (forwarded) clients: the job
queue, not the per-client rate limit, is what refuses them.

(a) **load**: ``--connections`` client threads, each on its own keep-alive connection, request a
    mix of landing page, collections, pages of items, single features, vector tiles and queryables
    for ``--duration`` seconds each; errors (no answer, 5xx) are counted and the server's memory
    (RSS of gunicorn and its workers) is sampled every 5 s.
(b) **restart**: 8 connections of the same load while the database is stopped (fast) and started
    again; status codes are counted during the outage and after it; the API is not restarted
    (its worker pids are compared).
(c) **flood**: ``--jobs`` asynchronous submissions of an indicator process at once; the most job
    processes and database connections seen, and the outcome of every submission.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config import server  # noqa: E402
from api_config.cli.jobs import worker_command  # noqa: E402
from api_config.security.keys import create_key  # noqa: E402
from gis.cluster import EmbeddedCluster  # noqa: E402
from gis.engine import create_engine, database_url  # noqa: E402
from gis.logins import api_logins  # noqa: E402
from gis.settings import ApiSettings, DatabaseSettings  # noqa: E402

OUT = ROOT / "bench" / "out" / "abuse"
PORT = 5311
TIMEOUT_S = 60.0
FLOOD_PROCESS = "population_density-run"
#: The job worker started beside the server (asynchronous jobs run there since issue 15).
WORKERS: list[subprocess.Popen[bytes]] = []


# -- the server -------------------------------------------------------------------------------------
def start_server(url: Any, api: ApiSettings) -> subprocess.Popen[bytes]:
    OUT.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    logins = api_logins(DatabaseSettings(), url)
    files = server.generate(engine, logins, api, OUT)
    engine.dispose()
    log = (OUT / "gunicorn.log").open("w")
    env = server.server_env(files, logins, api)
    proc = subprocess.Popen(server.gunicorn_command(api), env=env, stdout=log, stderr=log)
    WORKERS.append(subprocess.Popen(worker_command(), env=env, stdout=log, stderr=log))  # as `dothi serve`
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{api.url}/conformance?f=json", timeout=10).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the API server did not start; see {OUT / 'gunicorn.log'}")


def tree(pid: int) -> list[tuple[int, int, str]]:
    """``(pid, rss_kb, cmdline)`` of ``pid`` and every process below it."""
    every = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            every[int(entry.name)] = (
                int(fields[1]),
                int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024,
                cmd,
            )
    found, frontier = [], {pid}
    if pid in every:
        found.append((pid, every[pid][1], every[pid][2]))
    while frontier:
        level = [(p, rss, cmd) for p, (pp, rss, cmd) in every.items() if pp in frontier]
        found.extend(level)
        frontier = {p for p, _, _ in level}
    return found


def rss_mb(pid: int) -> float:
    return sum(rss for _, rss, _ in tree(pid)) / 1024


def workers(pid: int) -> set[int]:
    return {p for p, _, cmd in tree(pid) if p != pid and "jobrunner" not in cmd}


# -- the read load ----------------------------------------------------------------------------------
def read_mix(base: str) -> list[str]:
    """Paths of a mixed read load over what the server publishes."""
    body = requests.get(f"{base}/collections", params={"f": "json"}, timeout=30).json()
    paths = ["/?f=json", "/conformance?f=json", "/collections?f=json"]
    for coll in body["collections"][:6]:
        cid = coll["id"]
        if coll.get("itemType") != "feature":
            continue
        paths += [f"/collections/{cid}/items?f=json&limit=10", f"/collections/{cid}/items?f=json&limit=100"]
        paths.append(f"/collections/{cid}/queryables?f=json")
        first = requests.get(
            f"{base}/collections/{cid}/items", params={"f": "json", "limit": "1"}, timeout=30
        )
        features = first.json().get("features", []) if first.ok else []
        if features:
            paths.append(f"/collections/{cid}/items/{features[0]['id']}?f=json")
            minx, miny, maxx, maxy = coll["extent"]["spatial"]["bbox"][0]
            paths.append(tile_path(cid, (minx + maxx) / 2, (miny + maxy) / 2, 14))
    return paths


def tile_path(cid: str, lon: float, lat: float, z: int) -> str:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"


@dataclass
class Tally:
    statuses: Counter[int | str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    timeline: list[tuple[float, int | str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, at: float, status: int | str, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            self.timeline.append((at, status))


@dataclass
class Load:
    """Client threads requesting ``paths`` until ``stop`` is set."""

    api: ApiSettings
    paths: list[str]
    tally: Tally = field(default_factory=Tally)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self, connections: int) -> None:
        self.threads = [
            threading.Thread(target=client, args=(self, i), daemon=True) for i in range(connections)
        ]
        for t in self.threads:
            t.start()

    def finish(self) -> Tally:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=TIMEOUT_S + 5)
        return self.tally


def client(load: Load, seed: int) -> None:
    rng = random.Random(seed)
    host, port, paths, stop, tally = load.api.host, load.api.port, load.paths, load.stop, load.tally
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
    while not stop.is_set():
        path = rng.choice(paths)
        t0 = time.monotonic()
        try:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            resp = conn.getresponse()
            resp.read()
            status: int | str = resp.status
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
        tally.add(t0, status, time.monotonic() - t0)
    conn.close()


def run_load(
    api: ApiSettings, paths: list[str], connections: int, seconds: float, master: int
) -> dict[str, Any]:
    load = Load(api, paths)
    memory = [rss_mb(master)]
    load.start(connections)
    t_end = time.monotonic() + seconds
    while time.monotonic() < t_end:
        time.sleep(min(5.0, max(0.0, t_end - time.monotonic())))
        memory.append(rss_mb(master))
    return summarise(load.finish(), seconds) | {"rss_mb": memory}


def summarise(tally: Tally, seconds: float) -> dict[str, Any]:
    lat = sorted(tally.latencies) or [0.0]
    errors = sum(n for s, n in tally.statuses.items() if not isinstance(s, int) or s >= 500)
    return {
        "requests": len(tally.latencies),
        "rate": len(tally.latencies) / seconds,
        "errors": errors,
        "statuses": dict(tally.statuses),
        "p50_ms": statistics.median(lat) * 1000,
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
    }


# -- database restart under load ----------------------------------------------------------------------
def run_restart(api: ApiSettings, paths: list[str], master: int, db: DatabaseSettings) -> dict[str, Any]:
    if db.external:
        return {"skipped": "DOTHI_DATABASE_URL is set: the bench only restarts the embedded cluster"}
    cluster = EmbeddedCluster(db.data_dir, db_name=db.db_name)
    before = workers(master)
    load = Load(api, paths)
    load.start(8)
    time.sleep(5)
    down_at = time.monotonic()
    cluster.stop()
    time.sleep(5)
    cluster.start()
    up_at = time.monotonic()
    time.sleep(20)
    tally = load.finish()
    during = Counter(s for at, s in tally.timeline if down_at <= at < up_at)
    after = Counter(s for at, s in tally.timeline if at >= up_at + 2)
    return {
        "outage_s": up_at - down_at,
        "during": dict(during),
        "after": dict(after),
        "errors_after": sum(n for s, n in after.items() if not isinstance(s, int) or s >= 500),
        "workers_kept": workers(master) == before,
        "api_alive": requests.get(f"{api.url}/conformance?f=json", timeout=30).status_code == 200,
    }


# -- job flood ------------------------------------------------------------------------------------------
def run_flood(api: ApiSettings, url: Any, master: int, jobs: int) -> dict[str, Any]:
    engine = create_engine(url)
    stop, peaks = threading.Event(), {"processes": 0, "job_processes": 0, "connections": 0}

    def watch() -> None:
        with engine.connect() as conn:
            while not stop.is_set():
                procs = tree(master)
                peaks["processes"] = max(peaks["processes"], len(procs))
                peaks["job_processes"] = max(
                    peaks["job_processes"], sum("jobrunner" in c for _, _, c in procs)
                )
                count = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                ).scalar()
                peaks["connections"] = max(peaks["connections"], int(count or 0))
                time.sleep(0.1)

    # one planner key per client: the flood meets the job queue, not one client's rate limit
    tokens = [create_key(engine, f"flood-{time.time_ns()}-{i}", "planner")[1] for i in range(jobs)]
    analyst = create_key(engine, f"flood-observer-{time.time_ns()}", "analyst")[1]
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(32) as pool:
        replies = list(pool.map(lambda i: submit(api, i, tokens[i]), range(jobs)))
    accepted = [r["job"] for r in replies if r["status"] == 201]
    finals = wait_jobs(api, accepted, analyst)
    stop.set()
    watcher.join(timeout=10)
    engine.dispose()
    zombies = sum(1 for p, _, _ in tree(master) if _state(p) == "Z")
    return {
        "submitted": jobs,
        "outcomes": dict(Counter(r["kind"] for r in replies)),
        "jobs": dict(Counter(finals.values())),
        "zombies": zombies,
        **peaks,
    }


def submit(api: ApiSettings, i: int, token: str) -> dict[str, Any]:
    client_ip = f"198.18.{i // 250}.{i % 250 + 1}"
    resp = requests.post(
        f"{api.url}/processes/{FLOOD_PROCESS}/execution",
        json={"inputs": {}},
        headers={"Prefer": "respond-async", "X-Forwarded-For": client_ip, "Authorization": f"Bearer {token}"},
        timeout=TIMEOUT_S,
    )
    kind = str(resp.status_code)
    if resp.status_code == 429:
        kind = "429 queue full" if "job queue is full" in resp.text else "429 rate limit"
    job = resp.headers.get("Location", "").rsplit("/", 1)[-1] if resp.status_code == 201 else None
    return {"status": resp.status_code, "kind": kind, "job": job}


def wait_jobs(api: ApiSettings, jobs: list[str], token: str, timeout: float = 1800) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        states = {
            j: requests.get(
                f"{api.url}/jobs/{j}",
                params={"f": "json"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            ).json()["status"]
            for j in jobs
        }
        if all(s in ("successful", "failed", "dismissed") for s in states.values()):
            break
        time.sleep(1)
    return states


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "?"
    return stat[stat.rindex(")") + 2]


# -- report --------------------------------------------------------------------------------------------
def render(args: argparse.Namespace, api: ApiSettings, results: dict[str, Any]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"\n## Abuse: load, database restart, job flood (issue 11) — {now}\n",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared). Command: "
        f"`.venv/bin/python bench/bench_abuse.py {' '.join(sys.argv[1:])}`. Server: {api.workers} workers × "
        f"{api.threads} threads, {api.max_jobs} job slot(s), job queue {api.job_queue}, request budget "
        f"{api.request_budget_ms} ms; database `{args.database}`.\n",
    ]
    if results.get("load"):
        lines += [
            "| connections | seconds | requests | req/s | errors (5xx, no answer) | p50 | p99 "
            "| server RSS start → max → end |",
            "|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
    for n, load in results.get("load", {}).items():
        rss = load["rss_mb"]
        lines.append(
            f"| {n} | {args.duration:.0f} | {load['requests']:,} | {load['rate']:.0f} | {load['errors']} | "
            f"{load['p50_ms']:.0f} ms | {load['p99_ms']:.0f} ms | "
            f"{rss[0]:.0f} → {max(rss):.0f} → {rss[-1]:.0f} MB |"
        )
    if "restart" in results:
        r = results["restart"]
        if "skipped" in r:
            lines.append(f"\nDatabase restart: skipped ({r['skipped']}).")
        else:
            lines.append(
                f"\nDatabase restart under load (8 connections, outage {r['outage_s']:.1f} s): during "
                f"{json.dumps(r['during'])}; after {json.dumps(r['after'])}; "
                f"errors after: {r['errors_after']}; "
                f"workers kept: {r['workers_kept']}; API answering: {r['api_alive']}."
            )
    if "flood" in results:
        f = results["flood"]
        lines.append(
            f"\nJob flood ({f['submitted']} asynchronous `{FLOOD_PROCESS}` submissions at once, distinct "
            f"clients): outcomes {json.dumps(f['outcomes'])}; accepted jobs ended {json.dumps(f['jobs'])}; "
            f"at most {f['processes']} server processes ({f['job_processes']} job processes), "
            f"{f['connections']} database connections; zombies after: {f['zombies']}."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of each read load")
    parser.add_argument("--connections", default="8,64")
    parser.add_argument("--database", default=DatabaseSettings().db_name)
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--parts", default="load,restart,flood")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    args = parser.parse_args()
    db = DatabaseSettings()
    if not db.external:
        EmbeddedCluster(db.data_dir, db_name=db.db_name).up()
    url = database_url(db).set(database=args.database)
    api = ApiSettings(port=PORT, trusted_proxies="127.0.0.1")
    proc = start_server(url, api)
    parts = set(args.parts.split(","))
    results: dict[str, Any] = {}
    try:
        paths = read_mix(api.url)
        if "load" in parts:
            conns = [int(c) for c in args.connections.split(",")]
            results["load"] = {n: run_load(api, paths, n, args.duration, proc.pid) for n in conns}
            print(
                "load", {n: {k: v for k, v in r.items() if k != "rss_mb"} for n, r in results["load"].items()}
            )
        if "restart" in parts:
            results["restart"] = run_restart(api, paths, proc.pid, db)
            print("restart", results["restart"])
        if "flood" in parts:
            results["flood"] = run_flood(api, url, proc.pid, args.jobs)
            print("flood", results["flood"])
    finally:
        for child in (*WORKERS, proc):
            child.terminate()
            child.wait(timeout=60)
    section = render(args, api, results)
    print(section)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


if __name__ == "__main__":
    main()
