"""The load one API node holds (issue 15): requests/s of a realistic mix at rising concurrency, and
the highest rate whose 95th percentile stays under 200 ms — the point where to add the next node
(docs/deployment.md, "When to add a node").

The node is what ``dothi serve`` runs (default settings: granian, 2 workers × 4 threads, tile cache
on) on the demo database (``dothi demo --no-serve`` first).  ``wrk`` (2 threads, keep-alive,
``Accept-Encoding: gzip``) rotates over a shuffled list of distinct requests in the proportions
below — what the public map, QGIS and scripts ask for:

* 40 % vector tiles (z14–z16 around the city, every published tile collection),
* 25 % pages of 100 features in small bboxes (the largest feature collections),
* 20 % single features (ids read from those pages),
* 15 % planning look-ups at random points in the city (``/lookup``).

All requests come from one address, so the per-client look-up rate limit is lifted for the run
(``DOTHI_API_LOOKUP_RATE=0``); everything else is as served.

    .venv/bin/python bench/bench_node_load.py [--seconds 10] [--connections 2,4,8,16,32] [--record]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config import server, servers  # noqa: E402
from bench.bench_api import OUT, ensure_free, stop, tile_of, wait  # noqa: E402
from gis.engine import create_engine, database_url  # noqa: E402
from gis.logins import api_logins  # noqa: E402
from gis.settings import ApiSettings, DatabaseSettings  # noqa: E402

TARGET_P95_MS = 200.0
MIX = {"tile": 40, "page": 25, "item": 20, "lookup": 15}
N = 800  # distinct requests


def requests_mix(base: str, seed: int = 2019) -> list[str]:
    """The shuffled request paths of the mix, read from the running server's collections."""
    rng = random.Random(seed)
    meta = requests.get(f"{base}/map/meta.json", timeout=60).json()
    minx, miny, maxx, maxy = meta["extent"]
    collections = requests.get(f"{base}/collections?f=json", timeout=60).json()["collections"]
    feature_ids = [c["id"] for c in collections if c.get("itemType", "feature") == "feature"]
    tiled = [
        c["id"]
        for c in collections
        if any(link.get("rel", "").endswith("tilesets-vector") for link in c["links"])
    ]
    sized = []
    for cid in feature_ids:
        if cid == "catalogue":
            continue
        hits = requests.get(f"{base}/collections/{cid}/items", params={"f": "json", "limit": 1}, timeout=60)
        if hits.status_code == 200 and hits.json().get("numberMatched"):
            sized.append((int(hits.json()["numberMatched"]), cid))
    largest = [cid for _, cid in sorted(sized, reverse=True)[:3]]
    out: dict[str, list[str]] = {k: [] for k in MIX}
    side = (maxx - minx) / 40
    ids: list[tuple[str, str]] = []
    for k in range(N * MIX["page"] // 100):
        cid = largest[k % len(largest)]
        x, y = rng.uniform(minx, maxx - side), rng.uniform(miny, maxy - side)
        bbox = f"{x:.6f},{y:.6f},{x + side:.6f},{y + side:.6f}"
        out["page"].append(f"/collections/{cid}/items?f=json&limit=100&bbox={bbox}")
        if len(ids) < N:
            page = requests.get(f"{base}{out['page'][-1]}", timeout=60).json()
            ids += [(cid, str(f["id"])) for f in page.get("features", [])[:10]]
    out["item"] = [f"/collections/{c}/items/{i}?f=json" for c, i in rng.sample(ids, N * MIX["item"] // 100)]
    for _ in range(N * MIX["tile"] // 100):
        z = rng.choice((14, 15, 16))
        col, row = tile_of(rng.uniform(minx, maxx), rng.uniform(miny, maxy), z)
        out["tile"].append(f"/collections/{rng.choice(tiled)}/tiles/WebMercatorQuad/{z}/{row}/{col}?f=mvt")
    for _ in range(N * MIX["lookup"] // 100):
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        out["lookup"].append(f"/lookup?lon={lon:.6f}&lat={lat:.6f}&lang={rng.choice(['vi', 'en'])}")
    mixed = [p for paths in out.values() for p in paths]
    rng.shuffle(mixed)
    return mixed


def lua(urls: list[str]) -> str:
    quoted = ",\n".join(f'  "{u}"' for u in urls)
    return f"""local paths = {{
{quoted}
}}
local i = 0
setup = function(thread) thread:set("start", math.random(#paths)) end
init = function(args) i = tonumber(start) or 0 end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], {{["Accept-Encoding"] = "gzip"}})
end
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
  io.write(string.format("p50_us %d\\n", latency:percentile(50)))
end
"""


def run(base: str, script: str, connections: int, seconds: int) -> dict[str, float]:
    threads = min(2, connections)
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s"]
    out = subprocess.run([*cmd, "-s", script, base], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p95 = int(re.search(r"p95_us (\d+)", out).group(1)) / 1000  # type: ignore[union-attr]
    p50 = int(re.search(r"p50_us (\d+)", out).group(1)) / 1000  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "rate": rate,
        "p50": p50,
        "p95": p95,
        "non2xx": int(bad.group(1)) if bad else 0,
        "total": total,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", default="1,2,4,8,16,32")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DOTHI_API_PORT", "5000")))
    parser.add_argument("--server", choices=servers.SERVERS, default=None, help="default: as `dothi serve`")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    args = parser.parse_args()
    db = DatabaseSettings()
    url = database_url(db)
    api = ApiSettings(port=args.port, **({"server": args.server} if args.server else {}))
    logins = api_logins(db, url)
    os.environ["DOTHI_API_LOOKUP_RATE"] = "0"
    ensure_free(args.port)
    files = server.generate(create_engine(url), logins, api, db.data_dir)
    log = (OUT / "node-load.log").open("w")
    proc = subprocess.Popen(
        servers.command(api), env=server.server_env(files, logins, api), stdout=log, stderr=log
    )
    rows: list[tuple[int, dict[str, float]]] = []
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait(f"{base}/conformance", proc)
        mix = requests_mix(base)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(lua(mix))
        run(base, fh.name, 4, 5)  # warm: pools, walking index, tile cache
        for c in (int(v) for v in args.connections.split(",")):
            rows.append((c, run(base, fh.name, c, args.seconds)))
            print(c, rows[-1], flush=True)
        Path(fh.name).unlink()
    finally:
        stop(proc, url)
    section = render(rows, args, api)
    print(section)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


def holds(rows: list[tuple[int, dict[str, float]]]) -> tuple[int, dict[str, float]] | None:
    """The row of the highest rate whose p95 is under the target (and no failed request)."""
    good = [r for r in rows if r[1]["p95"] < TARGET_P95_MS and not r[1]["non2xx"]]
    return max(good, key=lambda r: r[1]["rate"]) if good else None


def render(rows: list[tuple[int, dict[str, float]]], args: argparse.Namespace, api: ApiSettings) -> str:
    best = holds(rows)
    lines = [
        "",
        f"## The load one node holds (issue 15) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`.venv/bin/python bench/bench_node_load.py --seconds {args.seconds} --connections "
        f"{args.connections}{' --server ' + args.server if args.server else ''}` "
        f"on {platform.node()} ({os.cpu_count()} cores, **busy: shared with other "
        "agents' work**, load average in the table). Demo database (`dothi demo --no-serve`), the node "
        f"as `dothi serve` runs it ({api.server}, {api.workers} workers × {api.threads} threads, tile "
        "cache on; look-up rate limit lifted: every request comes from one address). Mix of "
        f"{N} distinct requests, shuffled: "
        + ", ".join(f"{v} % {k}" for k, v in MIX.items())
        + " (tiles z14–16, pages of 100 in small bboxes, single features, `/lookup` points).",
        "",
        "| connections | req/s | p50 ms | p95 ms | non-2xx | load average |",
        "|---|---|---|---|---|---|",
    ]
    for c, r in rows:
        lines.append(
            f"| {c} | {r['rate']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['non2xx']} | {r['load']:.1f} |"
        )
    lines.append("")
    if best:
        lines.append(
            f"Held with p95 < {TARGET_P95_MS:.0f} ms: **{best[1]['rate']:,.0f} req/s** "
            f"({best[0]} connections, p95 {best[1]['p95']:.0f} ms)."
        )
    else:
        lines.append(f"No concurrency kept p95 under {TARGET_P95_MS:.0f} ms.")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
