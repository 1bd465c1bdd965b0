"""Benchmark: the indicator catalogue serial vs on Dask (local cluster), and the scaling curve by tiles.

``python bench/bench_dask.py``
    On the configured database (the demo): the catalogue in one process (``run_all``), then on a
    local Dask cluster of ``--workers`` processes, one partition per indicator and, with
    ``--tiles 2,4``, the tiled indicators cut into that many strips.

``python bench/bench_dask.py --generate 4 --tiles 1,2,4,8 --only population_density,transit_access``
    The same on a GENERATED city (synthetic = true in every row) ``4`` times Mỹ Tho, built by
    ``bench/bench_indicators.py``'s generator in a throw-away database: the scaling curve from 1 to
    N partitions per indicator, with the peak memory of the largest worker (it falls as the tiles
    shrink: no step holds the whole city's inputs in one process).

``python bench/bench_dask.py --areas 4 --only population_density,transit_access,green_area,street_network``
    The multi-city scaling curve: a throw-away database of ``4`` study areas (``tg_1`` … ``tg_4``:
    three communes of one district each of the former Tiền Giang province, real units and 2019
    census, synthetic layers at scale 0.2), then for k = 1 … 4 areas the serial run (one area after
    the other) and ONE Dask run over the k areas (partitioned by area).

Each configuration runs in a fresh Python process (peak RSS is per process); the workers' peak RSS
is what they report with each partition (``analysis.indicator_runs.execution``).  Figures are
printed as a Markdown table for ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.distributed.run import run_all_distributed  # noqa: E402
from analysis.registry import INDICATORS  # noqa: E402
from analysis.runner import run_all  # noqa: E402
from bench.bench_indicators import DEMO_PARAMS, GENERATED_PARAMS, build_generated  # noqa: E402
from gis.engine import create_engine, database_url, drop_database  # noqa: E402
from gis.settings import DatabaseSettings  # noqa: E402


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _workers_peak(engine: Any, since: int) -> tuple[float, int]:
    """Largest worker peak RSS and the number of partitions of the runs after ``since``."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT max((execution->>'peak_worker_rss_mb')::float), sum((execution->>'partitions')::int) "
            "FROM analysis.indicator_runs WHERE run_id > %(since)s",
            {"since": since},
        )
        row = cur.fetchone()
    return float(row[0] or 0.0), int(row[1] or 0)


def _last_run(engine: Any) -> int:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute("SELECT coalesce(max(run_id), 0) FROM analysis.indicator_runs")
        return int(cur.fetchone()[0])


def child(job: dict[str, Any]) -> dict[str, Any]:
    engine = create_engine(job["url"])
    data_dir = Path(job["data_dir"])
    # parameters of this version's catalogue only (the generator's may name older ones)
    params = {
        i: {k: v for k, v in p.items() if k in {q.name for q in INDICATORS[i].parameters}}
        for i, p in job["params"].items()
        if i in INDICATORS
    }
    only = job["only"] or None
    areas = job.get("areas") or ["mytho"]
    since = _last_run(engine)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    if job["mode"] == "serial":
        reports = [
            r
            for area in areas
            for r in run_all(engine, only=only, force=True, data_dir=data_dir, params=params, area=area)
        ]
    else:
        reports = run_all_distributed(
            engine,
            only=only,
            force=True,
            data_dir=data_dir,
            params=params,
            workers=job["workers"],
            tiles=job["tiles"],
            areas=areas,
        )
    wall = time.perf_counter() - t0
    worker_peak, partitions = _workers_peak(engine, since) if job["mode"] != "serial" else (0.0, len(reports))
    return {
        "mode": job["mode"],
        "tiles": job["tiles"],
        "workers": job["workers"],
        "wall_s": round(wall, 1),
        "client_peak_mb": round(_peak_rss_mb()),
        "worker_peak_mb": round(worker_peak),
        "partitions": partitions,
        "computed": sum(1 for r in reports if not r.skipped),
        "areas": len(areas),
        "skipped": [r.indicator_id for r in reports if r.skipped],
        "load_average": f"{load0:.1f} → {os.getloadavg()[0]:.1f}",
    }


def _run_child(job: dict[str, Any]) -> dict[str, Any]:
    # the job (with the database URL and its password) goes through stdin, not the command line
    out = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench child failed: {job['mode']} tiles={job['tiles']}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _configurations(args: argparse.Namespace) -> list[tuple[str, int | None]]:
    runs: list[tuple[str, int | None]] = [] if args.skip_serial else [("serial", None)]
    return runs + [("dask", int(t)) for t in args.tiles.split(",")]


def _bench_database(  # noqa: PLR0917 - one database's runs
    label: str,
    url: str,
    data_dir: str,
    params: Any,
    args: argparse.Namespace,
    areas: list[str] | None = None,
) -> list[Any]:
    rows = []
    for mode, tiles in _configurations(args):
        job = {
            "areas": areas,
            "url": url,
            "data_dir": data_dir,
            "params": params,
            "only": args.only.split(",") if args.only else [],
            "mode": mode,
            "tiles": tiles,
            "workers": args.workers,
        }
        print(f"  {label}: {mode} tiles={tiles} …", file=sys.stderr, flush=True)
        result = _run_child(job)
        result["data"] = label
        print(f"    {result}", file=sys.stderr, flush=True)
        rows.append(result)
    return rows


def build_areas(count: int, data_dir: Path) -> tuple[Any, Any]:
    """A fresh database ``<db>_bench_areas`` with ``count`` study areas ``tg_1`` … (three communes of
    one district each, districts other than Mỹ Tho city; synthetic layers at scale 0.2)."""
    from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS  # noqa: PLC0415
    from gis import migrate  # noqa: PLC0415
    from gis.engine import ensure_database  # noqa: PLC0415
    from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS  # noqa: PLC0415
    from layers.sources import tien_giang  # noqa: PLC0415
    from layers.synthetic.generate import generate_and_load  # noqa: PLC0415

    base = database_url(DatabaseSettings())
    url = base.set(database=f"{base.database}_bench_areas")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=(LAYER_VERSIONS, ANALYSIS_VERSIONS))
    units, _ = tien_giang._units(tien_giang.data_dir(), None)
    districts = [
        d for d in dict.fromkeys(units.sort_values("commune_id")["district_vn"]) if "Mỹ Tho" not in d
    ]
    for k, district in enumerate(districts[:count], start=1):
        communes = units.loc[units["district_vn"] == district, "commune_id"].sort_values().head(3).tolist()
        print(f"  area tg_{k}: {district} {communes}", file=sys.stderr, flush=True)
        tien_giang.load(engine, area=f"tg_{k}", communes=communes)
        generate_and_load(engine, data_dir, seed=2019 + k, scale=0.2, area=f"tg_{k}")
    return engine, url


def _bench_areas(args: argparse.Namespace) -> list[Any]:
    rows = []
    with TemporaryDirectory() as tmp:
        engine, url = build_areas(args.areas, Path(tmp))
        engine.dispose()
        try:
            for k in range(1, args.areas + 1):
                rows += _bench_database(
                    "Tiền Giang subsets (real units, synthetic layers)",
                    url.render_as_string(hide_password=False),
                    tmp,
                    DEMO_PARAMS,
                    args,
                    [f"tg_{i}" for i in range(1, k + 1)],
                )
        finally:
            if not args.keep:
                drop_database(url)
    return rows


def render(results: list[dict[str, Any]], argv: list[str]) -> str:
    lines = [
        f"`.venv/bin/python bench/bench_dask.py {' '.join(argv)}` on {platform.node()} "
        f"({os.cpu_count()} CPUs, shared), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "| data | areas | executor | tiles per tiled indicator | partitions | wall | client peak RSS "
        "| largest worker peak RSS | load average (start → end) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        executor = "serial (one process)" if r["mode"] == "serial" else f"Dask local, {r['workers']} workers"
        lines.append(
            f"| {r['data']} | {r.get('areas', 1)} | {executor} | {r['tiles'] or '–'} | {r['partitions']} "
            f"| {r['wall_s']} s "
            f"| {r['client_peak_mb']} MB | {r['worker_peak_mb'] or '–'} MB | {r['load_average']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=float, action="append", help="scale of a generated city")
    parser.add_argument("--loaded", action="store_true", help="also the configured database")
    parser.add_argument("--tiles", default="1", help="comma-separated tiles per tiled indicator (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster workers (default 2)")
    parser.add_argument("--only", help="comma-separated indicator ids (default: the catalogue)")
    parser.add_argument("--skip-serial", action="store_true", help="no serial run")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument(
        "--areas", type=int, help="multi-city curve: 1 … N study areas (Tiền Giang subsets, synthetic layers)"
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(sys.stdin.read()))))
        return
    results: list[dict[str, Any]] = []
    if args.areas:
        results += _bench_areas(args)
    if args.loaded or not (args.generate or args.areas):
        settings = DatabaseSettings()
        url = database_url(settings).render_as_string(hide_password=False)
        results += _bench_database(
            "Mỹ Tho demo (real + synthetic)", url, str(settings.data_dir), DEMO_PARAMS, args
        )
    for scale in args.generate or []:
        with TemporaryDirectory() as tmp:
            engine, url = build_generated(scale, Path(tmp))
            engine.dispose()
            label = f"generated ×{scale:g} (synthetic)"
            try:
                results += _bench_database(
                    label, url.render_as_string(hide_password=False), tmp, GENERATED_PARAMS, args
                )
            finally:
                if not args.keep:
                    drop_database(url)
    print(render(results, sys.argv[1:]))


if __name__ == "__main__":
    main()
