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

``python bench/bench_dask.py --province tien_giang --repeat 1``
    The whole catalogue on one already-loaded large study area (``dothi load tien-giang
    --synthetic``) of the configured database, as ``dothi indicators run --area tien_giang
    --executor serial`` and ``--executor dask --workers 2`` (default tiling) do, ``--repeat``
    times interleaved: wall and CPU time, per-indicator seconds (serial) and per-partition seconds
    (Dask), the chosen partitions, the peak RSS of the serial process, of the client and of EACH
    worker (its ``ru_maxrss`` with its partitions, and sampled with psutil every 0.2 s), and whether
    the Dask results equal the serial ones at published precision.

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
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from psycopg2 import sql  # noqa: E402

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
    if job.get("province"):
        return _province_child(job, engine, data_dir)
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


class _Sampler:
    """Peak RSS (MB) of this process and of each descendant (Dask worker processes), every 0.2 s."""

    def __init__(self) -> None:
        import psutil  # noqa: PLC0415 - a dependency of distributed

        self._me = psutil.Process()
        self.peaks: dict[int, float] = {}
        self.kinds: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil  # noqa: PLC0415

        while not self._stop.is_set():
            for proc in [self._me, *self._me.children(recursive=True)]:
                try:
                    rss = proc.memory_info().rss / 2**20
                    if proc.pid not in self.kinds:
                        cmd = " ".join(proc.cmdline())
                        self.kinds[proc.pid] = (
                            "client"
                            if proc.pid == self._me.pid
                            else "worker"
                            if "spawn_main" in cmd
                            else "other"
                        )
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0.0), rss)
            self._stop.wait(0.2)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def workers(self) -> list[float]:
        return sorted(
            (round(v) for p, v in self.peaks.items() if self.kinds.get(p) == "worker"), reverse=True
        )


def _province_runs(engine: Any, since: int, area: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT indicator_id, rows, execution FROM analysis.indicator_runs "
            "WHERE run_id > %(since)s AND area = %(area)s ORDER BY run_id",
            {"since": since, "area": area},
        )
        return [{"indicator": r[0], "rows": r[1], "execution": r[2]} for r in cur.fetchall()]


def _province_child(job: dict[str, Any], engine: Any, data_dir: Path) -> dict[str, Any]:
    """``dothi indicators run --area AREA --executor serial|dask --workers N --force`` in this process."""
    from analysis.distributed.choose import run_indicators  # noqa: PLC0415

    area = job["province"]
    since = _last_run(engine)
    load0 = os.getloadavg()
    lines: list[str] = []
    t0, c0 = time.perf_counter(), os.times()

    def progress(msg: str) -> None:
        lines.append(msg)
        print(f"    [{time.perf_counter() - t0:6.0f} s] {msg}", file=sys.stderr, flush=True)

    with _Sampler() as sampler:
        reports = run_indicators(
            engine,
            mode=job["mode"],
            workers=job["workers"] if job["mode"] == "dask" else None,
            area=area,
            force=True,
            data_dir=data_dir,
            progress=progress,
        )
    wall = time.perf_counter() - t0
    c1 = os.times()
    runs = _province_runs(engine, since, area)
    by_worker: dict[str, float] = {}
    for run in runs:
        for w, mb in ((run["execution"] or {}).get("worker_peak_rss_mb") or {}).items():
            by_worker[w] = max(by_worker.get(w, 0.0), mb)
    return {
        "mode": job["mode"],
        "workers": job["workers"] if job["mode"] == "dask" else None,
        "wall_s": round(wall, 1),
        "cpu_self_s": round(c1.user - c0.user + c1.system - c0.system, 1),
        "cpu_children_s": round(
            c1.children_user - c0.children_user + c1.children_system - c0.children_system, 1
        ),
        "peak_rss_mb": round(_peak_rss_mb()),
        "sampled_self_peak_mb": round(sampler.peaks.get(os.getpid(), 0.0)),
        "sampled_worker_peaks_mb": sampler.workers(),
        "worker_peak_rss_mb": {w: round(v) for w, v in sorted(by_worker.items())},
        "indicators": [
            {
                "id": r.indicator_id,
                "rows": r.rows,
                "seconds": round(r.seconds, 1),
                "skipped": r.skipped,
            }
            for r in reports
        ],
        "partitions": {
            run["indicator"]: list(
                zip(
                    (run["execution"] or {}).get("partition_labels", []),
                    (run["execution"] or {}).get("partition_seconds", []),
                    strict=False,
                )
            )
            for run in runs
            if run["execution"]
        },
        "load_average": f"{load0[0]:.1f} → {os.getloadavg()[0]:.1f}",
    }


def _published(engine: Any, area: str) -> dict[str, Any]:
    """Every indicator's published rows in ``area``: key columns and result columns."""
    import pandas as pd  # noqa: PLC0415
    import sqlalchemy as sa  # noqa: PLC0415

    out = {}
    with engine.connect() as conn:
        for spec in INDICATORS.values():
            query = sql.SQL("SELECT level, unit_id, vintage, {} FROM {} WHERE area = :area").format(
                sql.SQL(", ").join(sql.Identifier(c.name) for c in spec.result_columns),
                sql.Identifier("analysis", spec.table),
            )
            text = query.as_string(conn.connection.driver_connection)
            out[spec.id] = pd.read_sql(sa.text(text), conn, params={"area": area})
    return out


def _compare(serial: dict[str, Any], dask: dict[str, Any]) -> dict[str, str]:
    """Per indicator: "equal (n rows)" at published precision, or what differs (as the tests'
    ``tests/analysis/test_dask_run.py::_same``: rounded to the column's digits, or within 1e-9)."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    out = {}
    for i, a in serial.items():
        b = dask[i]
        spec = INDICATORS[i]
        key = ["level", "unit_id", "vintage"]
        if a.empty and b.empty:
            out[i] = "no rows in either"
            continue
        merged = a.merge(b, on=key, how="outer", suffixes=("_s", "_d"), indicator=True)
        missing = int((merged["_merge"] != "both").sum())
        both = merged[merged["_merge"] == "both"]
        bad = []
        for c in spec.result_columns:
            x, y = both[f"{c.name}_s"], both[f"{c.name}_d"]
            if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
                xf, yf = pd.to_numeric(x).astype(float), pd.to_numeric(y).astype(float)
                d = spec.digits(c.name)
                same = (
                    (xf.isna() & yf.isna())
                    | (xf.round(d) == yf.round(d))
                    | ((xf - yf).abs() <= 1e-9 * np.maximum(1.0, xf.abs()))
                )
            else:
                same = (x == y) | (x.isna() & y.isna())
            if (~same).any():
                row = both[~same].iloc[0]
                bad.append(
                    f"{c.name}: {int((~same).sum())} rows, e.g. {row['unit_id']} "
                    f"{row[c.name + '_s']!r} vs {row[c.name + '_d']!r}"
                )
        if missing or bad:
            out[i] = f"DIFFERENT: {missing} unmatched rows; " + "; ".join(bad)
        else:
            out[i] = f"equal ({len(a)} rows)"
    return out


def _bench_province(args: argparse.Namespace) -> list[dict[str, Any]]:
    settings = DatabaseSettings()
    url = database_url(settings)
    engine = create_engine(url)
    rows = []
    serial_rows: dict[str, Any] | None = None
    for rep in range(args.repeat):
        for mode in ("serial", "dask"):
            if mode == "serial" and args.skip_serial:
                continue
            job = {
                "province": args.province,
                "url": url.render_as_string(hide_password=False),
                "data_dir": str(settings.data_dir),
                "params": {},
                "only": [],
                "mode": mode,
                "tiles": None,
                "workers": args.workers,
            }
            print(
                f"  {args.province}: {mode} (round {rep + 1}) … {datetime.now(UTC):%H:%M:%S} UTC",
                file=sys.stderr,
                flush=True,
            )
            result = _run_child(job)
            published = _published(engine, args.province)
            if mode == "serial":
                serial_rows = published
            elif serial_rows is not None:
                result["compare"] = _compare(serial_rows, published)
            result["round"] = rep + 1
            if args.save:
                with args.save.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(result, ensure_ascii=False) + "\n")
            print(f"    {json.dumps(result, ensure_ascii=False)}", file=sys.stderr, flush=True)
            rows.append(result)
    engine.dispose()
    return rows


def render_province(results: list[dict[str, Any]], argv: list[str]) -> str:
    lines = [
        f"`.venv/bin/python bench/bench_dask.py {' '.join(argv)}` on {platform.node()} "
        f"({os.cpu_count()} CPUs, shared), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "| round | executor | wall | CPU (process + children) | serial process / client peak RSS "
        "| each worker's peak RSS (ru_maxrss) | sampled worker peaks | load average |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        executor = "serial (one process)" if r["mode"] == "serial" else f"Dask local, {r['workers']} workers"
        workers = ", ".join(f"{v} MB" for v in r["worker_peak_rss_mb"].values()) or "–"
        sampled = ", ".join(f"{v} MB" for v in r["sampled_worker_peaks_mb"]) or "–"
        lines.append(
            f"| {r['round']} | {executor} | {r['wall_s']} s | {r['cpu_self_s']} + {r['cpu_children_s']} s "
            f"| {r['peak_rss_mb']} MB | {workers} | {sampled} | {r['load_average']} |"
        )
    lines += [
        "",
        "| indicator | "
        + " | ".join(("serial" if r["mode"] == "serial" else "Dask") + f" {r['round']}" for r in results)
        + " |",
    ]
    lines.append("|---|" + "---|" * len(results))
    for i in INDICATORS:
        cells = []
        for r in results:
            rep = next((x for x in r["indicators"] if x["id"] == i), None)
            if rep is None:
                cells.append("–")
            elif rep["skipped"]:
                cells.append(f"skipped: {rep['skipped'][:80]}")
            elif r["mode"] == "serial":
                cells.append(f"{rep['seconds']} s ({rep['rows']} rows)")
            else:
                parts = r["partitions"].get(i, [])
                secs = [sec for _, sec in parts]
                cells.append(
                    f"{secs[0]} s (whole)"
                    if len(secs) == 1
                    else f"{len(secs)} tiles: Σ {sum(secs):.1f} s, longest {max(secs, default=0)} s"
                )
        lines.append(f"| {i} | " + " | ".join(cells) + " |")
    for r in results:
        if r.get("compare"):
            lines += ["", f"Dask round {r['round']} vs serial, at published precision:"]
            lines += [f"- {i}: {v}" for i, v in r["compare"].items()]
        if r["mode"] == "dask":
            tiled = {i: [lab for lab, _ in p] for i, p in r["partitions"].items() if len(p) > 1}
            lines += ["", f"Dask round {r['round']} partitions of the tiled indicators (first and last):"]
            lines += [f"- {i}: {len(labels)} × {labels[0]} … {labels[-1]}" for i, labels in tiled.items()]
    return "\n".join(lines)


def _run_child(job: dict[str, Any]) -> dict[str, Any]:
    # the job (with the database URL and its password) goes through stdin, not the command line
    out = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=json.dumps(job),
        stdout=subprocess.PIPE,
        stderr=None if job.get("province") else subprocess.PIPE,  # a long run shows its progress
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(
            f"bench child failed: {job['mode']} tiles={job['tiles']}\n{(out.stderr or '')[-3000:]}"
        )
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
    parser.add_argument(
        "--province",
        metavar="AREA",
        help="the whole catalogue on this loaded study area (e.g. tien_giang): serial vs Dask 2 workers",
    )
    parser.add_argument("--repeat", type=int, default=1, help="--province: interleaved rounds (default 1)")
    parser.add_argument("--save", type=Path, help="--province: append each run's figures (JSON lines) here")
    parser.add_argument("--render", type=Path, help="print the --province table of a --save file and exit")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument(
        "--areas", type=int, help="multi-city curve: 1 … N study areas (Tiền Giang subsets, synthetic layers)"
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(sys.stdin.read()))))
        return
    if args.render:
        lines = args.render.read_text(encoding="utf-8").splitlines()
        print(render_province([json.loads(x) for x in lines if x.strip()], sys.argv[1:]))
        return
    if args.province:
        print(render_province(_bench_province(args), sys.argv[1:]))
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
