"""Benchmark: scenarios on the Mỹ Tho demo — incremental answers through the process vs a full re-run.

``.venv/bin/python bench/bench_scenarios.py [--record] [--repeat 5]``

Needs the demo in the configured database (``dothi demo --no-serve``).  Starts ``dothi serve``'s
gunicorn on ``DOTHI_API_PORT`` (default 5107), creates a planner API key, then times over HTTP:

1. the first request (cold: the server builds the baselines it keeps in memory);
2. one added school, and one added clinic (with beds: ``health_access`` and ``health_beds_2sfca``)
   (median of ``--repeat`` requests, each a new point, so no answer is cached);
3. a scenario of 100 mixed edits (adds, changes, removals of schools, health facilities, transit
   stops and green spaces) through the process; another with the grid cells' polygons in the
   answer (``grid_geometry: true``); and the 4 access indicators only — each the median of
   ``--repeat`` different edit sets (the same sets for the three); the size of each answer (JSON,
   uncompressed; of the last request);
4. the same questions by full re-run: every touched indicator computed from the database as
   ``dothi indicators run`` does (:func:`analysis.runner.compute_indicator`, reading the inputs and
   running the recipe) — without the edits, i.e. a lower bound of a full re-run — for each
   question, the indicators its answer holds.

Prints a Markdown section; ``--record`` appends it to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.registry import get_indicator  # noqa: E402
from analysis.runner import compute_indicator  # noqa: E402
from api_config import server  # noqa: E402
from api_config.security.keys import create_key  # noqa: E402
from gis.engine import create_engine, database_url  # noqa: E402
from gis.logins import api_logins  # noqa: E402
from gis.settings import ApiSettings, DatabaseSettings  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
PORT = int(os.environ.get("DOTHI_API_PORT", "5107"))
CLINIC = {"type": "clinic", "beds": 20}
LAYERS = {
    "schools": ("school_id", {"level": "primary", "capacity": 400}),
    "health_facilities": ("facility_id", {"type": "health_station", "beds": 5}),
    "transit_stops": ("stop_id", {"capacity": "low", "mode": "bus"}),
    "green_spaces": ("green_id", {"type": "park", "public": True}),
}


def _point(rng: random.Random, box: tuple[float, ...]) -> list[float]:
    minx, miny, maxx, maxy = box
    return [
        rng.uniform(minx + 0.25 * (maxx - minx), maxx - 0.25 * (maxx - minx)),
        rng.uniform(miny + 0.25 * (maxy - miny), maxy - 0.25 * (maxy - miny)),
    ]


def _geometry(layer: str, xy: list[float]) -> dict[str, Any]:
    if layer == "green_spaces":
        x, y = xy
        ring = [[x, y], [x + 0.002, y], [x + 0.002, y + 0.0015], [x, y + 0.0015], [x, y]]
        return {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Point", "coordinates": xy}


def _feature(
    layer: str, op: str, fid: str, xy: list[float] | None, attrs: dict[str, Any] | None = None
) -> dict[str, Any]:
    id_field, default = LAYERS[layer]
    values = default if attrs is None else attrs
    props = {"layer": layer, "op": op, id_field: fid, **({} if op == "remove" else values)}
    return {"type": "Feature", "properties": props, "geometry": None if xy is None else _geometry(layer, xy)}


def _ids(engine: Any, layer: str) -> list[str]:
    id_field, _ = LAYERS[layer]
    schema = "environment" if layer == "green_spaces" else "infrastructure"
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(f"SELECT {id_field}::text FROM {schema}.{layer} ORDER BY 1")  # noqa: S608 - fixed names
        return [r[0] for r in cur.fetchall()]


def _box(engine: Any) -> tuple[float, ...]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom)::geometry e FROM land.admin_units WHERE vintage = 2025) t"
        )
        return tuple(float(v) for v in cur.fetchone())


def mixed_edits(engine: Any, rng: random.Random, n: int) -> list[dict[str, Any]]:
    box = _box(engine)
    out: list[dict[str, Any]] = []
    used: set[tuple[str, str]] = set()
    layers = list(LAYERS)
    while len(out) < n:
        layer = layers[len(out) % len(layers)]
        op = rng.choice(["add", "add", "change", "remove"])
        if op == "add":
            out.append(_feature(layer, "add", f"bench-{len(out)}", _point(rng, box)))
            continue
        fid = rng.choice(_ids(engine, layer))
        if (layer, fid) in used:
            continue
        used.add((layer, fid))
        out.append(_feature(layer, op, fid, None if op == "remove" else _point(rng, box)))
    return out


ACCESS = ["transit_access", "health_access", "education_access", "open_space_access"]


def post(
    base: str,
    token: str,
    features: list[dict[str, Any]],
    only: list[str] | None = None,
    *,
    grid_geometry: bool = False,
) -> tuple[float, dict[str, Any]]:
    body: dict[str, Any] = {"inputs": {"edits": {"type": "FeatureCollection", "features": features}}}
    if only:
        body["inputs"]["indicators"] = only
    if grid_geometry:
        body["inputs"]["grid_geometry"] = True
    t0 = time.perf_counter()
    resp = requests.post(
        f"{base}/processes/scenario-evaluate/execution",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
    )
    seconds = time.perf_counter() - t0
    resp.raise_for_status()
    return seconds, {**resp.json(), "_bytes": len(resp.content)}


def start(url: Any, engine: Any, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    api = ApiSettings(port=PORT, workers=1, execute_rate="0")  # the bench is one client asking many times
    logins = api_logins(DatabaseSettings(), url)
    files = server.generate(engine, logins, api, DatabaseSettings().data_dir)
    log = (folder / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        server.gunicorn_command(api), env=server.server_env(files, logins, api), stdout=log, stderr=log
    )
    for _ in range(240):
        try:
            if requests.get(f"{api.url}/conformance?f=json", timeout=5).status_code == 200:
                return proc, api.url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"server did not start; see {folder / 'gunicorn.log'}")


def full_rerun(engine: Any, ids: list[str]) -> dict[str, float]:
    out = {}
    for i in ids:
        t0 = time.perf_counter()
        compute_indicator(engine, get_indicator(i), data_dir=DatabaseSettings().data_dir)
        out[i] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = database_url(DatabaseSettings())
    engine = create_engine(url)
    token = create_key(engine, f"bench-scenarios-{int(time.time())}", "planner")[1]
    rng = random.Random(2026)
    box = _box(engine)
    folder = ROOT / ".data" / "bench-scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    proc, base = start(url, engine, folder)
    try:
        cold, first = post(base, token, [_feature("schools", "add", "bench-cold", _point(rng, box))])
        rows: dict[str, Any] = {"cold: first request (baselines built)": (cold, first)}
        for layer, label, attrs in (
            ("schools", "one added school", None),
            ("health_facilities", "one added clinic (20 beds)", CLINIC),
        ):
            post(base, token, [_feature(layer, "add", "bench-warm", _point(rng, box), attrs)])  # baselines
            runs = [
                post(base, token, [_feature(layer, "add", f"bench-{k}", _point(rng, box), attrs)])
                for k in range(args.repeat)
            ]
            rows[label] = (statistics.median(r[0] for r in runs), runs[-1][1])
        edits = mixed_edits(engine, rng, 100)
        post(base, token, edits)  # warm every touched indicator's baseline
        sets = [mixed_edits(engine, rng, 100) for _ in range(args.repeat)]  # the same sets for each
        for label, only, geometry in (
            ("100 mixed edits (4 layers)", None, False),
            ("100 mixed edits, grid cells with polygons (`grid_geometry`)", None, True),
            ("100 mixed edits, the 4 access indicators only", ACCESS, False),
        ):
            runs = [post(base, token, s, only, grid_geometry=geometry) for s in sets]
            rows[label] = (statistics.median(r[0] for r in runs), runs[-1][1])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    touched = sorted({i for _, body in rows.values() for i in body["indicators"]})
    full = full_rerun(engine, touched)
    engine.dispose()
    text = render(rows, full, args)
    print(text)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


def render(rows: dict[str, Any], full: dict[str, float], args: argparse.Namespace) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        f"## Scenarios: incremental evaluation vs full re-run (issue 14) — {now}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, **shared with 7 other agents at the time** "
        f"(load average 1/5/15 min at the end: {load}; figures are upper bounds). Command: "
        f"`DOTHI_API_PORT={PORT} .venv/bin/python bench/bench_scenarios.py --repeat {args.repeat}`. "
        f"Demo database (`dothi demo --no-serve`), one gunicorn worker on port {PORT}, "
        "`scenario-evaluate` over HTTP with a planner key, end to end (request to parsed JSON). "
        "Full re-run: the same question's indicators computed from the database as `dothi indicators "
        "run` does, without writing (reading inputs + recipe), a lower bound.",
        "",
        "| question | seconds (HTTP, end to end) | answer, kB | full re-run, seconds | "
        "indicators: method, compute s |",
        "|---|---:|---:|---:|---|",
    ]
    for label, (seconds, body) in rows.items():
        inds = ", ".join(f"{k} {v['method']} {v['seconds']:.2f}" for k, v in body["indicators"].items())
        again = sum(full[k] for k in body["indicators"])
        size = body["_bytes"] / 1000
        lines.append(f"| {label} | {seconds:.3f} | {size:,.0f} | {again:.2f} | {inds} |")
    total = sum(full.values())
    lines += [
        "",
        "Full re-run per indicator:",
        "",
        "| indicator | seconds |",
        "|---|---:|",
        *(f"| {k} | {v:.2f} |" for k, v in full.items()),
        f"| **total** | **{total:.2f}** |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
