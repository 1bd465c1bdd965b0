"""Throughput under concurrency (issue 15): dothi vs tipg vs PostgreSQL's own rate, same table.

For each read case, ``wrk`` (8 connections, 2 threads, keep-alive, ``Accept-Encoding: gzip``)
rotates over many distinct requests (a Lua script cycling through a URL list: different bboxes,
offsets, ids, tiles) against dothi and tipg, each with the same number of workers; ``pgbench``
(8 clients, 2 threads, prepared statements) runs the statements dothi sends for the same request,
with the same rotation (pgbench random variables; ``-M simple`` as psycopg2 sends them, and
``-M prepared``) — PostgreSQL's own rate, the floor no HTTP server
on top of it can beat.  Rounds are interleaved (dothi, tipg, dothi, tipg…) so that a machine shared
with other work slows all servers alike.

    .venv/bin/python bench/bench_throughput.py [--seconds 10] [--rounds 2] [--record]

Needs ``wrk`` and ``pgbench`` (``make bench-tools``) and tipg (``make bench-peers``); a missing
one stops the benchmark with the command that installs it.  The table is bench_api.py's
(1,000,000 synthetic polygons in the ``<db>_bench`` database; ``--skip-generate`` reuses it).
"""

# pgbench scripts are SQL text by nature (pgbench binds its own :variables); built from constants only
# ruff: noqa: S608

from __future__ import annotations

import argparse
import atexit
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config import servers  # noqa: E402
from api_config.providers.mvt import BUFFER, DEFAULT_MAX_FEATURES, EXTENT  # noqa: E402
from api_config.providers.tables import describe  # noqa: E402
from bench.bench_api import (  # noqa: E402
    OUT,
    TIPG,
    ensure_free,
    prepare,
    start_ours,
    start_tipg,
    stop,
    tile_of,
    wait,
)
from gis.engine import database_url  # noqa: E402
from gis.settings import ApiSettings, DatabaseSettings  # noqa: E402

CONNECTIONS = 8
THREADS = 2
#: The generated grid (bench/sql/generate_buildings.sql): 1000 × 1000 squares from (106.28, 10.30),
#: every 0.00016°, each 0.0001° wide; building i is column i % 1000, row i / 1000.
X0, Y0, STEP, SIDE, ROWS = 106.28, 10.30, 0.00016, 0.0001, 1000
DISTINCT = 400  # distinct requests per case
SINGLE = "single feature"


def small_bbox(k: int, side: int = 10) -> tuple[float, float, float, float]:
    """A bbox of ``side`` × ``side`` buildings, the k-th of a scatter over the grid."""
    col, row = (k * 37) % (ROWS - side), (k * 91) % (ROWS - side)
    minx, miny = X0 + col * STEP, Y0 + row * STEP
    return minx, miny, minx + (side - 1) * STEP + SIDE / 2, miny + (side - 1) * STEP + SIDE / 2


def z16_tiles() -> list[tuple[int, int]]:
    """Every z16 tile inside the grid."""
    x0, y1 = tile_of(X0, Y0, 16)
    x1, y0 = tile_of(X0 + ROWS * STEP, Y0 + ROWS * STEP, 16)
    return [(x, y) for x in range(x0 + 1, x1) for y in range(y0 + 1, y1)]


def paths(kind: str) -> dict[str, list[str]]:
    """The cases, each as DISTINCT request paths (tipg spells collections, GeoJSON and tiles its way)."""
    coll = "/collections/land.buildings" if kind == "tipg" else "/collections/buildings"
    f = "geojson" if kind == "tipg" else "json"
    bboxes = [",".join(f"{v:.6f}" for v in small_bbox(k)) for k in range(DISTINCT)]
    larger = [",".join(f"{v:.6f}" for v in small_bbox(k, 32)) for k in range(DISTINCT)]
    tiles = z16_tiles()
    if kind == "tipg":
        tile = [f"{coll}/tiles/WebMercatorQuad/16/{x}/{y}" for x, y in tiles]
    else:
        tile = [f"{coll}/tiles/WebMercatorQuad/16/{y}/{x}?f=mvt" for x, y in tiles]
    return {
        "page of 100 in a small bbox": [f"{coll}/items?f={f}&limit=100&bbox={b}" for b in bboxes],
        "page of 1,000 in a larger bbox": [f"{coll}/items?f={f}&limit=1000&bbox={b}" for b in larger],
        SINGLE: [f"{coll}/items/b{(k * 104_729) % 1_000_000:07d}?f={f}" for k in range(DISTINCT)],
        "vector tile z16, no cache": tile,
    }


def lua(urls: list[str]) -> str:
    """A wrk script cycling through ``urls`` (each thread from its own starting point).  The
    requests are formatted once per thread (``init``), not per request: wrk runs on the same
    cores as the servers, and ``wrk.format`` per request cost it ≈ 12 µs of CPU a request
    (38 → 26 µs on the single feature)."""
    quoted = ",\n".join(f'  "{u}"' for u in urls)
    return f"""local paths = {{
{quoted}
}}
local requests = {{}}
local i = 0
setup = function(thread) thread:set("start", math.random(#paths)) end
init = function(args)
  i = tonumber(start) or 0
  for j, path in ipairs(paths) do
    requests[j] = wrk.format("GET", path, {{["Accept-Encoding"] = "gzip"}})
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
"""


def run_wrk(base: str, urls: list[str], seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua(urls))
    cmd = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "30s"]
    out = subprocess.run([*cmd, "-s", fh.name, base], capture_output=True, text=True, check=True).stdout
    Path(fh.name).unlink()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:  # a figure with failed requests compares nothing
        raise SystemExit(f"wrk on {base}{urls[0]}: errors\n{out}")
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {"rate": rate, "requests": done}


class CpuShare:
    """CPU time over one measured run, split three ways: the server's processes (``server_pid`` and
    its children; none for pgbench), the load generator (wrk or pgbench: this process's children
    that ended during the run) and the rest of the machine's busy time — PostgreSQL, on a quiet
    machine.  ``--cpu`` records it per request."""

    def __init__(self, server_pid: int | None) -> None:
        self.server = psutil.Process(server_pid) if server_pid else None

    def _server_s(self) -> float:
        if self.server is None:
            return 0.0
        total = 0.0
        for proc in [self.server, *self.server.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    @staticmethod
    def _busy_s() -> float:
        t = psutil.cpu_times()
        return sum(getattr(t, k, 0.0) for k in ("user", "nice", "system", "irq", "softirq"))

    @staticmethod
    def _children_s() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    def __enter__(self) -> CpuShare:
        self.start = (self._server_s(), self._children_s(), self._busy_s())
        return self

    def __exit__(self, *_exc: object) -> None:
        server, client, busy = (
            b - a
            for a, b in zip(self.start, (self._server_s(), self._children_s(), self._busy_s()), strict=True)
        )
        self.split = (server, busy - server - client, client)

    def per_request(self, requests: float) -> tuple[float, float, float]:
        """(server, PostgreSQL and the rest, load generator) in µs a request."""
        return tuple(1e6 * part / max(requests, 1) for part in self.split)  # type: ignore[return-value]


# -- PostgreSQL's own rate: the statements dothi sends for the same requests ------------------------
_ID = "'b' || lpad(:i::text, 7, '0')"
#: The properties dothi publishes for land.buildings, in its order (the id is one of them).
_COLS = tuple(describe("layer", "buildings").fields)


def _props() -> str:
    parts = [
        ("'{' || " if n == 0 else "|| ',' || ") + f"""'"{c}":' || coalesce(to_json(t.{c})::text, 'null')"""
        for n, c in enumerate(_COLS)
    ]
    return "(" + " ".join(parts) + " || '}')"


def _page(where: str, order_limit: str) -> str:
    feature = (
        """'{"type":"Feature","id":' || to_json(t.building_id)::text || ',"geometry":' """
        f"""|| coalesce(ST_AsGeoJSON(t.geom, 7, 0), 'null') || ',"properties":' || {_props()} || '}}'"""
    )
    return (
        f"WITH page AS (SELECT t.building_id AS fid FROM land.buildings AS t WHERE {where} "
        f"ORDER BY t.building_id {order_limit}) "
        f"SELECT count(*), coalesce(string_agg({feature}, ',' ORDER BY t.building_id), '') "
        "FROM page JOIN land.buildings AS t ON t.building_id = page.fid;"
    )


def single_statement(identifier: str) -> str:
    """The single feature's statement (item_text.sql for land.buildings) with ``identifier``."""
    return (
        """SELECT '{"type":"Feature","id":' || to_json(t.building_id)::text || ',"geometry":' """
        f"""|| coalesce(ST_AsGeoJSON(t.geom, 7, 0), 'null') || ',"properties":' || {_props()} """
        f"FROM land.buildings AS t WHERE t.building_id = {identifier}"
    )


def pgbench_scripts() -> dict[str, str]:
    """pgbench scripts of the cases (one line per statement, pgbench variables rotate the input)."""
    where, larger = _bbox_where(10), _bbox_where(32)
    x0, y1 = tile_of(X0, Y0, 16)
    x1, y0 = tile_of(X0 + ROWS * STEP, Y0 + ROWS * STEP, 16)
    tile = (ROOT / "api_config" / "providers" / "sql" / "tile.sql").read_text()
    return {
        "page of 100 in a small bbox": "\n".join(
            [
                f"\\set c random(0, {ROWS - 11})",
                f"\\set r random(0, {ROWS - 11})",
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM land.buildings AS t WHERE {where};",
                f"SELECT count(*) FROM land.buildings AS t WHERE {where};",
                _page(where, "LIMIT 100 OFFSET 0"),
            ]
        ),
        "page of 1,000 in a larger bbox": "\n".join(
            [
                f"\\set c random(0, {ROWS - 33})",
                f"\\set r random(0, {ROWS - 33})",
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM land.buildings AS t WHERE {larger};",
                f"SELECT count(*) FROM land.buildings AS t WHERE {larger};",
                _page(larger, "LIMIT 1000 OFFSET 0"),
            ]
        ),
        SINGLE: "\n".join(["\\set i random(0, 999999)", single_statement(_ID) + ";"]),
        "vector tile z16, no cache": "\n".join(
            [
                f"\\set x random({x0 + 1}, {x1 - 1})",
                f"\\set y random({y0 + 1}, {y1 - 1})",
                _tile_statement(tile),
            ]
        ),
    }


def _bbox_where(side: int) -> str:
    """The bbox filter of :func:`small_bbox` with pgbench variables ``:c`` and ``:r``."""
    span = (side - 1) * STEP + SIDE / 2
    env = (
        f"ST_MakeEnvelope({X0} + :c * {STEP}, {Y0} + :r * {STEP}, "
        f"{X0} + :c * {STEP} + {span}, {Y0} + :r * {STEP} + {span}, 4326)"
    )
    return f"ST_Intersects(t.geom, {env})"


def _tile_statement(template: str) -> str:
    """tile.sql as dothi runs it at z16 (linear mapping, no simplification, its columns)."""
    body = "\n".join(line.split("--", 1)[0] for line in template.splitlines())
    values = {
        "linear": "true",
        "simplify": "false",
        "tolerance": "0",
        "z": "16",
        "x": ":x",
        "y": ":y",
        "margin": str(BUFFER / EXTENT),
        "extent": str(EXTENT),
        "buffer": str(BUFFER),
        "cap": str(DEFAULT_MAX_FEATURES),
        "layer": "'buildings'",
        "table_key": "'land.buildings'",
    }
    for key, value in values.items():
        body = body.replace(f"%({key})s", value)
    body = body.replace("{geom}", "geom").replace("{table}", "land.buildings")
    body = body.replace("{columns}", ", ".join(f"t.{c}" for c in _COLS))
    return " ".join(body.split()) + ";"


def run_pgbench(url: URL, script: str, seconds: int, *, mode: str = "simple") -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as fh:
        fh.write(script + "\n")
    env = dict(os.environ, PGPASSWORD=url.password or "")
    cmd = [
        "pgbench", "-n", "-M", mode, "-c", str(CONNECTIONS), "-j", str(THREADS), "-T", str(seconds),
        "-h", str(url.host), "-p", str(url.port), "-U", str(url.username), "-f", fh.name, str(url.database),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    Path(fh.name).unlink()
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    if done.returncode or not found or (failed and int(failed.group(1))):
        raise SystemExit(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
    processed = re.search(r"number of transactions actually processed: (\d+)", done.stdout)
    return {"rate": float(found.group(1)), "requests": int(processed.group(1)) if processed else 0}


def check_tools() -> None:
    for tool in ("wrk", "pgbench"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: run `make bench-tools`")
    if not TIPG.is_file():
        raise SystemExit("tipg is not installed: run `make bench-peers`")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-alive", type=int, default=None, help="gunicorn --keep-alive for dothi")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--port", type=int, default=5108, help="the port each server takes in turn")
    parser.add_argument(
        "--servers",
        default="dothi,tipg,bare,PostgreSQL",
        help="comma-separated subset of dothi (as `dothi serve`: granian), dothi-gunicorn, tipg, bare "
        "(bench/floor_app.py:single under granian, the single feature only: a WSGI app with no guards), "
        "PostgreSQL",
    )
    parser.add_argument("--cases", default="", help="comma-separated subset of case names (prefixes)")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    parser.add_argument(
        "--split-cores",
        action="store_true",
        help="PostgreSQL on CPU 0, everything else (servers, wrk, pgbench) on the other CPUs: the "
        "database on its own host, as docs/deployment.md lays a deployment out (embedded cluster only)",
    )
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]  # the rounds' own load (wrk, servers, PostgreSQL) is ≈ 5
    check_tools()
    if args.split_cores:
        split_cores()
    OUT.mkdir(parents=True, exist_ok=True)
    url = database_url(DatabaseSettings()).set(database=f"{DatabaseSettings().db_name}_bench")
    prepare(url, generate=not args.skip_generate)
    wanted = [c for c in args.cases.split(",") if c]
    names = [n for n in paths("ours") if not wanted or any(n.startswith(w) for w in wanted)]
    rates: dict[str, dict[str, list[float]]] = {
        n: {"dothi": [], "dothi-gunicorn": [], "tipg": [], "bare": [], "PostgreSQL": [], "prepared": []}
        for n in names
    }
    loads: list[float] = []
    args.cpu_split = {n: {k: [] for k in rates[n]} for n in names}
    scripts = pgbench_scripts()
    for _ in range(args.rounds):
        for kind in ("dothi", "dothi-gunicorn", "tipg", "bare"):
            if kind in args.servers.split(","):
                serve(kind, url, args, names, rates)
        for name in names if "PostgreSQL" in args.servers.split(",") else []:
            with CpuShare(None) as share:
                done = run_pgbench(url, scripts[name], args.seconds)
            rates[name]["PostgreSQL"].append(done["rate"])
            args.cpu_split[name]["PostgreSQL"].append(share.per_request(done["requests"]))
            rates[name]["prepared"].append(
                run_pgbench(url, scripts[name], args.seconds, mode="prepared")["rate"]
            )
        loads.append(os.getloadavg()[0])
        print(rates, f"load average {loads[-1]:.1f}")
    section = render(rates, args, loads)
    print(section)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


def split_cores() -> None:
    """Pin the embedded cluster (postmaster and every backend, present and future: backends are
    forked from the postmaster) to CPU 0 and this process — hence the servers, wrk and pgbench it
    starts — to the other CPUs.  The cluster gets all CPUs back at exit."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise SystemExit("--split-cores needs at least 2 CPUs")
    settings = DatabaseSettings()
    pidfile = settings.cluster_dir / "postmaster.pid"
    if settings.external or not pidfile.is_file():
        raise SystemExit(
            "--split-cores pins the embedded cluster: start it (`dothi db up`), unset DOTHI_DATABASE_URL"
        )
    postmaster = int(pidfile.read_text().split()[0])

    def pin(allowed: set[int]) -> None:
        for pid in [
            postmaster,
            *(int(p) for p in Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()),
        ]:
            try:
                os.sched_setaffinity(pid, allowed)
            except ProcessLookupError:
                continue

    pin({cpus[0]})
    os.sched_setaffinity(0, set(cpus[1:]))
    atexit.register(pin, set(cpus))


def serve(
    kind: str, url: URL, args: argparse.Namespace, names: list[str], rates: dict[str, dict[str, list[float]]]
) -> None:
    """Start one server, measure every case on it, stop it."""
    port = args.port
    ensure_free(port)
    os.environ["DOTHI_API_TILE_CACHE_MB"] = "0"  # dothi's tiles: the uncached rate (the case's name)
    if kind == "bare":
        names = [n for n in names if n == SINGLE]
        if not names:
            return
    started = (
        start_ours(
            url,
            port,
            args.workers,
            keep_alive=args.keep_alive,
            http="gunicorn" if kind == "dothi-gunicorn" else None,
        )
        if kind.startswith("dothi")
        else start_bare(url, port, args.workers)
        if kind == "bare"
        else start_tipg(url, port, args.workers)
    )
    if started is None:
        raise SystemExit(f"{kind} is not installed: run `make bench-peers`")
    proc = started
    try:
        urls = paths("tipg" if kind == "tipg" else "ours")
        wait(f"http://127.0.0.1:{port}{urls[SINGLE][0] if kind == 'bare' else '/conformance'}", proc)
        for name in names:
            run_wrk(f"http://127.0.0.1:{port}", urls[name][:20], 2)  # warm the workers' pools
            with CpuShare(proc.pid) as share:
                done = run_wrk(f"http://127.0.0.1:{port}", urls[name], args.seconds)
            rates[name][kind].append(done["rate"])
            args.cpu_split[name][kind].append(share.per_request(done["requests"]))
    finally:
        stop(proc, url)


def start_bare(url: URL, port: int, workers: int) -> subprocess.Popen[bytes]:
    """bench/floor_app.py:single under granian, with dothi's workers and threads: the same statement
    as dothi's lean path and nothing else (see its docstring)."""
    api = ApiSettings(port=port, workers=workers)
    command = [*servers.granian_command(api)[:-1], "bench.floor_app:single"]
    env = dict(
        os.environ,
        DOTHI_BENCH_DSN=url.set(drivername="postgresql").render_as_string(hide_password=False),
        DOTHI_BENCH_ITEM_SQL=single_statement("%(id)s"),
    )
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=(OUT / "bare.log").open("w"), stderr=subprocess.STDOUT
    )


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def render(rates: dict[str, dict[str, list[float]]], args: argparse.Namespace, loads: list[float]) -> str:
    load = statistics.median(loads) if loads else os.getloadavg()[0]
    gunicorn = any(by["dothi-gunicorn"] for by in rates.values())
    lines = [
        "",
        f"## Throughput under concurrency (issue 15) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`.venv/bin/python bench/bench_throughput.py --seconds {args.seconds} --rounds {args.rounds}"
        f" --servers {args.servers}{' --skip-generate' if args.skip_generate else ''}"
        f"{' --split-cores' if args.split_cores else ''}{' --record' if args.record else ''}` "
        f"on {platform.node()} "
        f"({os.cpu_count()} cores, load average {args.load_before:.1f} before the run"
        f"{' — **busy: shared with other work**' if args.load_before > 1.0 else ', a quiet machine'}; "
        f"{', '.join(f'{v:.1f}' for v in loads)} after each round, the benchmark's own load). "
        + (
            "**PostgreSQL pinned to CPU 0, the servers, wrk and pgbench to CPU 1** (the database on its own "
            "host, as docs/deployment.md lays a deployment out: PostgreSQL alone is then the rate of one "
            "core of database). "
            if args.split_cores
            else ""
        )
        + "1,000,000 synthetic polygons (`land.buildings`, bench "
        f"database). HTTP: `wrk -t {THREADS} -c {CONNECTIONS} -d {args.seconds}s`, keep-alive, "
        f"`Accept-Encoding: gzip`, a Lua script cycling through {DISTINCT} distinct requests per case "
        f"(every z16 tile of the grid for tiles); {args.workers} workers each (dothi: as `dothi serve`, "
        "granian, 4 threads a worker"
        + (", and under gunicorn gthread (`DOTHI_API_SERVER=gunicorn`)" if gunicorn else "")
        + "; tile cache off; tipg: uvicorn). "
        f"PostgreSQL alone: `pgbench -c {CONNECTIONS} -j {THREADS}` running "
        "the statements dothi sends for one request (count/estimate included) with random inputs of the "
        "same kind, `-M simple` (statement text with values, as psycopg2 sends it: planned every time, "
        "the floor for dothi's statements) and `-M prepared` (planned once: what a server could reach "
        "with prepared statements). Requests per second, median of "
        f"{args.rounds} interleaved rounds (dothi, tipg, PostgreSQL in turn; "
        f"median load average {load:.1f}).",
        "",
        "| case | dothi |"
        + (" dothi (gunicorn) |" if gunicorn else "")
        + " tipg | PostgreSQL alone (simple) | (prepared) "
        "| dothi / tipg | dothi / PostgreSQL (simple) | (prepared) |",
        "|---|---|" + ("---|" if gunicorn else "") + "---|---|---|---|---|---|",
    ]
    for name, by in rates.items():
        ours, tipg, pg, prep = (_median(by[k]) for k in ("dothi", "tipg", "PostgreSQL", "prepared"))
        lines.append(
            f"| {name} | {ours:,.0f} | "
            + (f"{_median(by['dothi-gunicorn']):,.0f} | " if gunicorn else "")
            + f"{tipg:,.0f} | {pg:,.0f} | {prep:,.0f} | "
            f"{ours / tipg if tipg else 0:.2f}× | {ours / pg if pg else 0:.2f} "
            f"| {ours / prep if prep else 0:.2f} |"
        )
    bare = {name: _median(by["bare"]) for name, by in rates.items() if by["bare"]}
    for name, rate in bare.items():
        pg = _median(rates[name]["PostgreSQL"])
        lines += [
            "",
            f"The same {name} from a bare WSGI app (`bench/floor_app.py:single`: dothi's statement and "
            "gzip under granian with dothi's workers and threads, no guards, no access log, no pool): "
            f"**{rate:,.0f} req/s**"
            + (f", {rate / pg:.2f} of PostgreSQL alone (simple)" if pg else "")
            + f"; dothi answers at {_median(rates[name]['dothi']) / rate:.2f} of it.",
        ]
    kinds = [
        k for k in ("dothi", "dothi-gunicorn", "tipg", "bare", "PostgreSQL") if k in args.servers.split(",")
    ]
    lines += [
        "",
        "CPU per request, µs (median of the rounds; `CpuShare`): the server's processes / the rest of "
        "the machine's busy time, i.e. PostgreSQL on a quiet machine / the load generator (wrk, or "
        "pgbench for PostgreSQL alone, simple):",
        "",
        "| case | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for name, by in args.cpu_split.items():
        cells = [
            " / ".join(f"{statistics.median(r[i] for r in by[k]):,.0f}" for i in range(3)) if by[k] else "—"
            for k in kinds
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Per round (req/s):", ""]
    for name, by in rates.items():
        rounds = "; ".join(f"{k} {'/'.join(f'{v:,.0f}' for v in vals)}" for k, vals in by.items() if vals)
        lines.append(f"- {name}: {rounds}")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
