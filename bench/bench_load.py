"""Benchmark: load a generated buildings GeoPackage with dothi's loader (validation on) and with
``ogr2ogr -f PostgreSQL`` (COPY mode) into the same database, in one run.

Usage::

    .venv/bin/python bench/bench_load.py --n 1000000 [--record]

The GeoPackage (bench/out/buildings_<n>.gpkg, reused when present) holds n small square buildings
on a grid over Mỹ Tho with the ``buildings`` layer's attributes.  Both loaders run against a
separate, migrated ``<db>_bench`` database.  ``--record`` appends the figures to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis import migrate
from gis.cluster import EmbeddedCluster
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers.catalog import BUILDINGS
from layers.load import load_file
from layers.migrations import VERSIONS_DIR

ROOT = Path(__file__).resolve().parent
USES = np.array(["residential", "mixed", "commercial", "industrial", "public", "religious", "other"])


def generate(n: int, path: Path) -> None:
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 106.30 + (i % side) * (0.12 / side)
    y0 = 10.32 + (i // side) * (0.08 / side)
    size = 0.5 * min(0.12, 0.08) / side
    rng = np.random.default_rng(42)
    frame = gpd.GeoDataFrame(
        {
            "building_id": np.char.add("b", i.astype(str)),
            "use": USES[rng.integers(0, len(USES), n)],
            "floors": rng.integers(1, 8, n),
            "height_m": rng.uniform(3, 25, n).round(1),
            "year_built": rng.integers(1950, 2024, n),
        },
        geometry=shapely.box(x0, y0, x0 + size, y0 + size),
        crs="EPSG:4326",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(frame, path, layer="buildings", driver="GPKG", promote_to_multi=True)


def run_ogr2ogr(path: Path, url: str) -> float:
    pg = url.replace("postgresql+psycopg2://", "postgresql://")
    cmd = [
        "ogr2ogr", "-f", "PostgreSQL", f"PG:{pg}", str(path), "buildings", "-nln", "bench.ogr_buildings",
        "-overwrite", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST", "-nlt", "MULTIPOLYGON",
        "--config", "PG_USE_COPY", "YES",
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    path = ROOT / "out" / f"buildings_{args.n}.gpkg"
    if not path.exists():
        start = time.perf_counter()
        generate(args.n, path)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s")
    settings = DatabaseSettings()
    if not settings.external:
        EmbeddedCluster(settings.data_dir, db_name=settings.db_name).up()
    url = database_url(settings).set(database=f"{settings.db_name}_bench")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=(VERSIONS_DIR, ANALYSIS_VERSIONS))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS bench")

    start = time.perf_counter()

    def progress(message: str) -> None:
        print(f"  {time.perf_counter() - start:7.1f} s  {message}")

    report = load_file(engine, BUILDINGS, path, force=True, progress=progress)
    ours = time.perf_counter() - start
    print(report.summary())
    ogr = run_ogr2ogr(path, url.render_as_string(hide_password=False))
    n = report.written
    print(f"dothi load (validating): {n / ours:,.0f} features/s ({ours:.1f} s)")
    print(f"ogr2ogr (PG_USE_COPY):   {n / ogr:,.0f} features/s ({ogr:.1f} s)")
    engine.dispose()
    drop_database(url)
    if args.record:
        record(args.n, ours, ogr)


def record(n: int, ours: float, ogr: float) -> None:
    cpus = os.cpu_count()
    text = (
        f"\n### Load {n:,} buildings (GeoPackage) — {dt.date.today().isoformat()}\n\n"
        f"Machine: {platform.machine()}, {cpus} cores (shared), {platform.python_version()}, "
        f"embedded PostgreSQL.  Command: `.venv/bin/python bench/bench_load.py --n {n} --record`\n\n"
        "| loader | seconds | features/s |\n|---|---:|---:|\n"
        f"| `dothi load buildings` (validation on, one transaction) | {ours:.1f} | {n / ours:,.0f} |\n"
        f"| `ogr2ogr -f PostgreSQL --config PG_USE_COPY YES` | {ogr:.1f} | {n / ogr:,.0f} |\n"
    )
    results = ROOT / "RESULTS.md"
    if not results.exists():
        results.write_text("# Benchmark results\n", encoding="utf-8")
    with results.open("a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
