"""Tra cứu quy hoạch and the public map, measured on a running demo server (``dothi demo``).

* ``GET /lookup`` at random points inside the 2025 wards (first call per worker builds the walking
  index; reported apart), server time (``Server-Timing``) and client round trip, p50/p95/max;
* ``GET /search`` for names typed without accents;
* Lighthouse 12.2.3 (mobile profile) on ``/map/``: ``api_config/web/lighthouse.mjs`` (the default 4x
  CPU slowdown and the one calibrated from the host's benchmarkIndex).

Usage: ``.venv/bin/python bench/bench_lookup.py [--url http://127.0.0.1:5000] [--n 300] [--record]``.
``--record`` appends the figures to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
WEB = HERE.parent / "api_config/web"


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.1f} ms, p95 {_pct(values, 95):.1f} ms, max {max(values):.1f} ms"


def bench_lookup(url: str, n: int) -> dict[str, str]:
    meta = requests.get(f"{url}/map/meta.json", timeout=30).json()
    minx, miny, maxx, maxy = meta["extent"]
    rng = random.Random(2019)
    session = requests.Session()
    first = session.get(
        f"{url}/lookup", params={"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}, timeout=120
    )
    cold = float(first.headers["Server-Timing"].split("dur=")[1])
    server, client = [], []
    for _ in range(n):
        params = {
            "lon": rng.uniform(minx, maxx),
            "lat": rng.uniform(miny, maxy),
            "lang": rng.choice(["vi", "en"]),
        }
        started = time.perf_counter()
        r = session.get(f"{url}/lookup", params=params, timeout=30)
        client.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text
        server.append(float(r.headers["Server-Timing"].split("dur=")[1]))
    words = ["truong", "cho", "phuong", "dao thanh", "tram y te", "le loi", "tan long"]
    search = []
    for i in range(n):
        started = time.perf_counter()
        r = session.get(f"{url}/search", params={"q": words[i % len(words)]}, timeout=30)
        search.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text
    return {
        "lookup, first call of this run (builds the walking index if its worker has not yet)": (
            f"{cold:.0f} ms (server)"
        ),
        f"lookup, {n} random points (server time)": _summary(server),
        f"lookup, {n} random points (client round trip)": _summary(client),
        f"search, {n} queries (client round trip)": _summary(search),
    }


def bench_lighthouse(url: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lh.json"
        subprocess.run(
            ["node", "lighthouse.mjs", f"{url}/map/", str(out)],
            cwd=WEB,
            check=True,
            capture_output=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            timeout=600,
        )
        report = json.loads(out.read_text())
    rows = {}
    for name in ("standard", "calibrated"):
        r = report[name]
        key = f"Lighthouse {r['lighthouse']} mobile, CPU ×{r['cpuSlowdownMultiplier']}"
        rows[f"{key} (benchmarkIndex {r['benchmarkIndex']})"] = (
            f"performance {round(r['performance'] * 100)}, accessibility {round(r['accessibility'] * 100)}; "
            f"FCP {r['fcp_ms']} ms, LCP {r['lcp_ms']} ms, TBT {r['tbt_ms']} ms, CLS {r['cls']}, "
            f"SI {r['si_ms']} ms"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('DOTHI_API_PORT', '5000')}")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    rows = bench_lookup(args.url, args.n)
    if not args.no_lighthouse:
        rows |= bench_lighthouse(args.url)
    load = os.getloadavg()[0]
    lines = [
        f"## Planning look-up, search and the public map (issue 13) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared; load average {load:.1f} at the "
        f"end). Command: `.venv/bin/python bench/bench_lookup.py --url {args.url} --n {args.n}`; server: "
        "`DOTHI_API_LOOKUP_RATE=0 dothi serve` on the demo database (no rate limit for the benchmark).",
        "",
        "| what | figures |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in rows.items()),
        "",
    ]
    print("\n".join(lines))
    if args.record:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as f:
            f.write("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
