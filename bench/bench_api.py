"""Benchmark: dothi's API vs stock pygeoapi (PostgreSQL + MVT-postgresql) vs tipg, same table.

Generates 1,000,000 synthetic building polygons (``bench/sql/generate_buildings.sql``) in the database
``<db>_bench`` of the embedded cluster, starts the three servers with the same number of workers,
and measures the median latency of each case.  Writes a section to ``bench/RESULTS.md``.

    .venv/bin/python bench/bench_api.py [--requests 5] [--workers 2] [--skip-generate]

tipg runs from ``bench/.venv-tipg``, which ``make bench-peers`` installs from the pinned
``bench/peers/requirements.txt``; a requested peer that is not installed stops the benchmark with that
command (never a silent skip: a table without its peers compares nothing).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import mapbox_vector_tile
import requests
import yaml
from pygeoapi.openapi import get_oas
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS  # noqa: E402
from api_config import server, servers  # noqa: E402
from api_config.providers.mvt import DEFAULT_MAX_FEATURES  # noqa: E402
from gis import migrate  # noqa: E402
from gis.engine import create_engine, database_url, ensure_database  # noqa: E402
from gis.logins import api_logins  # noqa: E402
from gis.settings import ApiSettings, DatabaseSettings  # noqa: E402
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS  # noqa: E402

OUT = ROOT / "bench" / "out"
TIPG = ROOT / "bench" / ".venv-tipg" / "bin" / "uvicorn"
CENTRE = (106.36, 10.38)  # middle of the generated grid
TIMEOUT_S = 40.0


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    rad = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)


def prepare(url: URL, *, generate: bool) -> None:
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=(LAYER_VERSIONS, ANALYSIS_VERSIONS))
    if generate:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cur.execute((ROOT / "bench" / "sql" / "generate_buildings.sql").read_text())
        print(f"generated 1,000,000 polygons in {time.perf_counter() - t0:.0f} s")
    engine.dispose()


def wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server for {url} exited")
        time.sleep(0.5)
    raise RuntimeError(f"server for {url} did not start")


def start_ours(
    url: URL, port: int, workers: int, *, keep_alive: int | None = None, http: str | None = None
) -> subprocess.Popen[bytes]:
    """dothi under ``http`` (``gunicorn`` or ``granian``, api_config.servers; default: as `dothi serve`)."""
    api = ApiSettings(port=port, workers=workers, **({"server": http} if http else {}))
    http = api.server
    logins = api_logins(DatabaseSettings(), url)
    files = server.generate(create_engine(url), logins, api, OUT / "ours")
    command = servers.command(api)
    if keep_alive is not None and http == "gunicorn":
        command[-1:-1] = ["--keep-alive", str(keep_alive)]
    return subprocess.Popen(
        command,
        env=servers.worker_env(server.server_env(files, logins), http),
        stdout=(OUT / "ours.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def stock_config(url: URL, port: int) -> dict[str, Any]:
    data = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
        "search_path": ["land", "public"],
    }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json",
            "encoding": "utf-8",
            "languages": ["en"],
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        # the same metadata block as ours (pygeoapi needs every key)
        "metadata": yaml.safe_load((OUT / "ours" / "api" / "pygeoapi-config.yml").read_text())["metadata"],
        "resources": {
            "buildings": {
                "type": "collection",
                "title": "buildings",
                "description": "buildings",
                "keywords": ["x"],
                "extents": {"spatial": {"bbox": [106.2, 10.2, 106.5, 10.5]}},
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "data": data,
                        "id_field": "building_id",
                        "table": "buildings",
                        "geom_field": "geom",
                    },
                    {
                        "type": "tile",
                        "name": "MVT-postgresql",
                        "data": data,
                        "id_field": "building_id",
                        "table": "buildings",
                        "geom_field": "geom",
                        # no "schemes": a list in options breaks pygeoapi 0.24 get_engine (unhashable)
                        "options": {"zoom": {"min": 0, "max": 22}},
                        "format": {"name": "pbf", "mimetype": "application/vnd.mapbox-vector-tile"},
                    },
                ],
            }
        },
    }


def start_stock(url: URL, port: int, workers: int) -> subprocess.Popen[bytes]:
    config = stock_config(url, port)
    folder = OUT / "stock"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(yaml.safe_dump(config))
    (folder / "openapi.yml").write_text(yaml.safe_dump(get_oas(config)))
    env = dict(
        os.environ, PYGEOAPI_CONFIG=str(folder / "config.yml"), PYGEOAPI_OPENAPI=str(folder / "openapi.yml")
    )
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "pygeoapi.flask_app:APP",
    ]
    return subprocess.Popen(cmd, env=env, stdout=(OUT / "stock.log").open("w"), stderr=subprocess.STDOUT)


def start_tipg(url: URL, port: int, workers: int) -> subprocess.Popen[bytes] | None:
    if not TIPG.is_file():
        return None
    env = dict(
        os.environ,
        DATABASE_URL=url.set(drivername="postgresql").render_as_string(hide_password=False),
        TIPG_DB_SCHEMAS='["land"]',
        # tipg cuts tiles at 10,000 features by default; ours at DEFAULT_MAX_FEATURES: same cap, same tiles
        TIPG_MAX_FEATURES_PER_TILE=str(DEFAULT_MAX_FEATURES),
    )
    cmd = [
        str(TIPG),
        "tipg.main:app",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(cmd, env=env, stdout=(OUT / "tipg.log").open("w"), stderr=subprocess.STDOUT)


def tile_block(z: int, count: int) -> list[tuple[int, int]]:
    """``count`` distinct tiles around the centre (all inside the generated grid), nearest first."""
    cx, cy = tile_of(*CENTRE, z)
    side = math.ceil(math.sqrt(count)) | 1
    half = side // 2
    block = [(cx + dx, cy + dy) for dy in range(-half, half + 1) for dx in range(-half, half + 1)]
    return sorted(block, key=lambda t: (abs(t[0] - cx) + abs(t[1] - cy), t))[:count]


def cases(kind: str, base: str, count: int) -> dict[str, list[str]]:
    """The issue's table rows as ``count`` URLs each for one server.

    The repeated rows request one URL ``count`` times (what a map does when many people look at
    the same place: the tile cache answers); the "first request" tile rows request ``count``
    different tiles once each (the cache cannot help).
    """
    if kind == "tipg":
        coll = f"{base}/collections/land.buildings"
        tile = f"{coll}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}"
    else:
        coll = f"{base}/collections/buildings"
        tile = f"{coll}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=" + ("mvt" if kind == "ours" else "pbf")
    # tipg's f=json is plain JSON records with WKT; its GeoJSON is f=geojson
    f = "geojson" if kind == "tipg" else "json"
    same = {
        "items, limit=10 (count on)": f"{coll}/items?f={f}&limit=10",
        "items, limit=1000": f"{coll}/items?f={f}&limit=1000",
        "items, offset=900000": f"{coll}/items?f={f}&limit=10&offset=900000",
        "single item": f"{coll}/items/b0500000?f={f}",
        "vector tile z16 (repeated)": tile.format(z=16, x=tile_of(*CENTRE, 16)[0], y=tile_of(*CENTRE, 16)[1]),
        "vector tile z14 (repeated)": tile.format(z=14, x=tile_of(*CENTRE, 14)[0], y=tile_of(*CENTRE, 14)[1]),
    }
    urls = {name: [url] * count for name, url in same.items()}
    for z in (16, 14):
        block = tile_block(z, count + 1)[1:]  # not the centre tile: the repeated rows cached it
        urls[f"vector tile z{z} (first request)"] = [tile.format(z=z, x=x, y=y) for x, y in block]
    return urls


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes  # decompressed
    seconds: float  # request sent → whole body received (before decompression)


def fetch(url: str) -> Reply:
    """GET on a new connection, asking for gzip as browsers and QGIS do; the body is read whole."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=TIMEOUT_S)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        resp = conn.getresponse()
        raw = resp.read()
        seconds = time.perf_counter() - t0
        headers = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    body = gzip.decompress(raw) if headers.get("content-encoding") == "gzip" else raw
    return Reply(resp.status, headers, body, seconds)


def measure(urls: list[str], *, warm_up: int = 1) -> tuple[str, str]:
    """Median latency of the requests after the first ``warm_up`` ones, and what the last one held."""
    times = []
    reply = None
    for i, url in enumerate(urls):
        try:
            reply = fetch(url)
        except TimeoutError:
            return f"> {TIMEOUT_S:.0f} s (timeout)", "—"
        if reply.status not in (200, 204):
            return f"HTTP {reply.status}", "—"
        if i >= warm_up:  # the first requests warm the workers and their connections
            times.append(reply.seconds)
    ms = statistics.median(times) * 1000
    return (f"{ms:,.0f} ms" if ms >= 10 else f"{ms:.1f} ms"), content(reply)


def content(reply: Reply | None) -> str:
    """Features and size of a response, to check the servers returned the same thing."""
    if reply is None or reply.status == 204:
        return "empty"
    size = f"{len(reply.body) / 1024:,.0f} KiB"
    if reply.headers.get("content-encoding") == "gzip":
        size += " (gzip)"
    if "json" in reply.headers.get("content-type", ""):
        body = json.loads(reply.body)
        count = len(body["features"]) if "features" in body else 1
    else:
        count = sum(len(layer["features"]) for layer in mapbox_vector_tile.decode(reply.body).values())
    return f"{count:,} features, {size}"


def http_floor(port: int, workers: int, n: int) -> str:
    """Latency of a WSGI app returning a constant body under the same gunicorn: the part of every
    figure that is HTTP and process overhead, not the server's work."""
    exe = Path(sys.executable).with_name("gunicorn")
    cmd = [str(exe), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "bench.floor_app:app"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        return measure([f"http://127.0.0.1:{port}/"] * (n + 2 * workers), warm_up=2 * workers)[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def stop(proc: subprocess.Popen[bytes], url: URL) -> None:
    """Stop a server and cancel the queries it abandoned (stock pygeoapi has no statement timeout)."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--servers", default="ours,stock,tipg", help="comma-separated subset")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = database_url(DatabaseSettings()).set(database=f"{DatabaseSettings().db_name}_bench")
    prepare(url, generate=not args.skip_generate)
    servers = {"ours": 5301, "stock": 5302, "tipg": 5303}
    starters = {"ours": start_ours, "stock": start_stock, "tipg": start_tipg}
    results: dict[str, dict[str, tuple[str, str]]] = {}
    warm = 2 * args.workers
    for kind, port in servers.items():
        if kind not in args.servers.split(","):
            continue
        ensure_free(port)
        proc = starters[kind](url, port, args.workers)
        if proc is None:
            raise SystemExit(f"{kind} is not installed: run `make bench-peers` (or omit it from --servers)")
        try:
            wait(f"http://127.0.0.1:{port}/conformance", proc)
            results[kind] = {
                name: measure(u, warm_up=warm)
                for name, u in cases(kind, f"http://127.0.0.1:{port}", args.requests + warm).items()
            }
            print(kind, results[kind])
        finally:
            stop(proc, url)
    floor = http_floor(5304, args.workers, args.requests)
    print("HTTP floor", floor)
    section = render(results, floor, args)
    print(section)
    if args.record:
        path = ROOT / "bench" / "RESULTS.md"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(section)
        print(f"appended to {path}")


def ensure_free(port: int) -> None:
    """Refuse to measure when something already listens on the port (it would be measured instead)."""
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use: stop what listens there before benchmarking")


def _ms(text: str) -> float | None:
    try:
        return float(text.split(maxsplit=1)[0].replace(",", ""))
    except ValueError:
        return None


def ratio(results: dict[str, dict[str, tuple[str, str]]], name: str) -> str:
    """How many times faster ours is than the best peer (a timeout counts as no answer)."""
    ours = _ms(results.get("ours", {}).get(name, ("—", ""))[0])
    peers = [_ms(v[name][0]) for k, v in results.items() if k != "ours"]
    best = min((p for p in peers if p is not None), default=None)
    return f"{best / ours:.1f}×" if ours and best else "—"


def render(results: dict[str, dict[str, tuple[str, str]]], floor: str, args: argparse.Namespace) -> str:
    names = list(next(iter(results.values())))
    kinds = list(results)
    lines = [
        "",
        f"## API latency (issue 6) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`.venv/bin/python bench/bench_api.py --requests {args.requests} --workers {args.workers}"
        f"{' --skip-generate' if args.skip_generate else ''} --record` on {platform.node()} "
        f"({os.cpu_count()} cores, shared), 1,000,000 synthetic polygons (`land.buildings`, bench "
        f"database), median of {args.requests} requests (new connection each, `Accept-Encoding: "
        "gzip`, Python `http.client`, time to the whole body) "
        f"after {2 * args.workers} warm-up requests, {args.workers} gunicorn/uvicorn workers each.",
        "",
        "| case | " + " | ".join(kinds) + " | ours vs best peer |",
        "|---|" + "---|" * (len(kinds) + 1),
        *(
            f"| {n} | " + " | ".join(results[k][n][0] for k in kinds) + f" | {ratio(results, n)} |"
            for n in names
        ),
        "",
        "What each server returned (last response):",
        "",
        "| case | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
        *(f"| {n} | " + " | ".join(results[k][n][1] for k in kinds) + " |" for n in names),
        "",
        f"HTTP floor — a WSGI app returning a constant 60-byte Feature under the same gunicorn, "
        f"measured the same way: {floor}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
