"""Benchmark: the whole indicator catalogue — wall time per indicator and peak memory.

Two modes:

``python bench/bench_indicators.py``
    Runs every indicator whose inputs are loaded in the configured database (``DOTHI_*``
    settings, the embedded cluster by default), with ``force=True`` so nothing is skipped as
    unchanged.

``python bench/bench_indicators.py --generate 1 --generate 10``
    Builds a GENERATED city (synthetic = true in every row) the size of Mỹ Tho (82 km²,
    228,000 people) times the scale — street grid, stops, schools, health facilities, parks, a
    river, a 100 m population grid and an elevation model — in a throw-away database
    ``<db>_bench_<scale>``, then runs the catalogue on it.

Each run is a fresh Python process (peak RSS is per process).  Also timed: building the walking
network and one multi-source Dijkstra pass.  Figures are printed as a Markdown table for
``bench/RESULTS.md``.
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

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.shutil
import sqlalchemy as sa
from rasterio.io import MemoryFile
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, box

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.indicators.access import walk_network  # noqa: E402
from analysis.indicators.network import nearest_distances  # noqa: E402
from analysis.inputs import read_vector  # noqa: E402
from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS  # noqa: E402
from analysis.runner import run_all  # noqa: E402
from gis import migrate  # noqa: E402
from gis.engine import create_engine, database_url, drop_database, ensure_database  # noqa: E402
from gis.settings import DatabaseSettings  # noqa: E402
from layers import catalog  # noqa: E402
from layers.load import SourceInfo, load_frame  # noqa: E402
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS  # noqa: E402

CRS = "EPSG:32648"
X0, Y0 = 676_000.0, 1_134_000.0  # south-west corner near Mỹ Tho (UTM 48N)
MYTHO_KM2, MYTHO_POP = 82.0, 228_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---------------------------------------------------------------------------------------------
# the generated city
# ---------------------------------------------------------------------------------------------


def _grid_lines(side: float, spacing: float) -> list[LineString]:
    ticks = np.arange(spacing / 2, side, spacing)
    return [LineString([(X0 + t, Y0), (X0 + t, Y0 + side)]) for t in ticks] + [
        LineString([(X0, Y0 + t), (X0 + side, Y0 + t)]) for t in ticks
    ]


def _population(side: float, total: float) -> np.ndarray:
    n = int(np.ceil(side / 100))
    c = (np.arange(n) + 0.5) * 100
    xx, yy = np.meshgrid(c, c[::-1])
    density = np.exp(-(((xx - side / 2) ** 2 + (yy - side / 2) ** 2) / (2 * (side / 3) ** 2)))
    return density / density.sum() * total


def generated_layers(scale: float) -> dict[str, Any]:
    """Every layer of a generated city ``scale`` times Mỹ Tho's area and population."""
    side = float(np.sqrt(MYTHO_KM2 * 1e6 * scale))
    pop = _population(side, MYTHO_POP * scale)
    k = max(2, round(4 * np.sqrt(scale)))
    ward = side / k
    n = pop.shape[0]
    built_2020 = np.clip(pop / pop.max() * 1.5, 0, 1)
    built_2010 = built_2020 * 0.7
    centre = (np.arange(n) + 0.5) * 100
    col_ward = np.minimum((centre // ward).astype(int), k - 1)
    row_ward = np.minimum((centre[::-1] // ward).astype(int), k - 1)  # row 0 is the northern edge
    wards, names, census = [], [], []
    for i in range(k):
        for j in range(k):
            wards.append(box(X0 + i * ward, Y0 + j * ward, X0 + (i + 1) * ward, Y0 + (j + 1) * ward))
            names.append(f"Phường tổng hợp {i}-{j}")
            census.append(int(pop[np.ix_(row_ward == j, col_ward == i)].sum()))
    units = gpd.GeoDataFrame(
        {
            "unit_id": [f"2019-G{i}" for i in range(len(wards))],
            "vintage": 2019,
            "code": [f"G{i}" for i in range(len(wards))],
            "name_vi": names,
            "name_en": [n.replace("Phường tổng hợp", "Generated ward") for n in names],
            "level": "ward",
            "population": census,
        },
        geometry=wards,
        crs=CRS,
    )
    local = _grid_lines(side, 150)
    arterial = _grid_lines(side, 1000)
    roads = gpd.GeoDataFrame(
        {
            "road_id": [f"r{i}" for i in range(len(local) + len(arterial))],
            "road_class": ["residential"] * len(local) + ["primary"] * len(arterial),
            "walkable": True,
        },
        geometry=local + arterial,
        crs=CRS,
    )
    rng = np.random.default_rng(42)

    def scatter(n: int, prefix: str, id_field: str, **attrs: Any) -> gpd.GeoDataFrame:
        xy = rng.uniform(0, side, size=(n, 2))
        return gpd.GeoDataFrame(
            {id_field: [f"{prefix}{i}" for i in range(n)], **attrs},
            geometry=[Point(X0 + x, Y0 + y) for x, y in xy],
            crs=CRS,
        )

    area_km2 = side * side / 1e6
    stops = scatter(int(area_km2 * 6), "s", "stop_id", mode="bus", capacity="low", weekday_departures=60)
    stops.loc[stops.index[::25], ["mode", "capacity"]] = ["ferry", "high"]
    health = scatter(int(area_km2 * 1.5), "h", "facility_id", type="health_station", beds=0)
    health.loc[health.index[::10], ["type", "beds"]] = ["hospital", 150]
    schools = scatter(int(area_km2 * 2), "e", "school_id", level="primary", capacity=600)
    schools.loc[schools.index[::3], "level"] = "lower_secondary"
    parks_xy = rng.uniform(0, side - 150, size=(int(area_km2 * 1.2), 2))
    green = gpd.GeoDataFrame(
        {"green_id": [f"g{i}" for i in range(len(parks_xy))], "type": "park", "public": True},
        geometry=[box(X0 + x, Y0 + y, X0 + x + 120, Y0 + y + 120) for x, y in parks_xy],
        crs=CRS,
    )
    markets = scatter(int(area_km2 * 3), "m", "market_id", type="market")
    markets.loc[markets.index[::2], "type"] = "convenience"
    zone_ticks = np.arange(0, side - 1, 500)
    zx, zy = np.meshgrid(zone_ticks, zone_ticks)
    codes = rng.choice(["ODT", "ODT", "TMD", "DGD", "DKV", "SKC", "LUA"], size=zx.size)
    land_use = gpd.GeoDataFrame(
        {"zone_id": [f"z{i}" for i in range(zx.size)], "code": codes, "status": "current"},
        geometry=[
            box(X0 + x, Y0 + y, X0 + min(x + 500, side), Y0 + min(y + 500, side))
            for x, y in zip(zx.ravel(), zy.ravel(), strict=True)
        ],
        crs=CRS,
    )
    river = gpd.GeoDataFrame(
        {"water_id": ["river"], "type": ["river"], "name": ["Sông tổng hợp"]},
        geometry=[box(X0, Y0, X0 + side, Y0 + 300)],
        crs=CRS,
    )
    yy = np.repeat((np.arange(n)[::-1] + 0.5)[:, None] * 100, n, axis=1)
    elevation = 0.5 + yy / side * 4 + rng.normal(0, 0.4, size=(n, n))
    return {
        "vectors": {
            catalog.ADMIN_UNITS: units,
            catalog.ROADS: roads,
            catalog.TRANSIT_STOPS: stops,
            catalog.HEALTH_FACILITIES: health,
            catalog.SCHOOLS: schools,
            catalog.GREEN_SPACES: green,
            catalog.WATER_BODIES: river,
            catalog.MARKETS: markets,
            catalog.LAND_USE: land_use,
        },
        "rasters": {
            ("environment.population_grid", 2020): pop,
            ("environment.elevation", 2020): elevation,
            ("environment.built_up", 2010): built_2010,
            ("environment.built_up", 2020): built_2020,
        },
        "side": side,
    }


def _cog(path: Path, array: np.ndarray, side: float) -> None:
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "crs": CRS,
        "transform": from_origin(X0, Y0 + array.shape[0] * 100, 100, 100),
        "nodata": -9999.0,
    }
    del side
    with MemoryFile() as mem:
        with mem.open(**profile) as dst:
            dst.write(array.astype("float32"), 1)
        with mem.open() as src:
            rasterio.shutil.copy(src, path, driver="COG")


def build_generated(scale: float, data_dir: Path) -> Any:
    """A fresh database ``<db>_bench_<scale>`` holding the generated city."""
    base = database_url(DatabaseSettings())
    url = base.set(database=f"{base.database}_bench_{str(scale).replace('.', '_')}")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=(LAYER_VERSIONS, ANALYSIS_VERSIONS))
    city = generated_layers(scale)
    source = SourceInfo(
        path=f"bench/bench_indicators.py --generate {scale}", checksum=f"gen-{scale}", synthetic=True
    )
    for spec, frame in city["vectors"].items():
        load_frame(engine, spec, frame.assign(synthetic=True), source=source)
    (data_dir / "rasters").mkdir(parents=True, exist_ok=True)
    for (layer, year), array in city["rasters"].items():
        rel = f"rasters/{layer.split('.')[1]}_{year}.tif"
        _cog(data_dir / rel, array, city["side"])
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO catalog.rasters (layer, year, path, crs, resolution_m, width, height, bbox, "
                    "checksum, synthetic, source, load_id) VALUES (:l, :y, :p, :crs, 100, :w, :h, "
                    "ARRAY[0,0,0,0]::float8[], :c, true, 'bench generator (synthetic)', 0)"
                ),
                {
                    "l": layer,
                    "y": year,
                    "p": rel,
                    "crs": CRS,
                    "w": array.shape[1],
                    "h": array.shape[0],
                    "c": f"{rel}-{scale}",
                },
            )
    return engine, url


# ---------------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------------


def network_timing(engine: Any) -> dict[str, float]:
    """Build the walking network from the loaded roads; one multi-source pass to 50 destinations."""
    roads = read_vector(engine, "roads")
    assert roads is not None
    metric = roads.to_crs(roads.estimate_utm_crs())
    t0 = time.perf_counter()
    net = walk_network(metric)
    t1 = time.perf_counter()
    rng = np.random.default_rng(1)
    lo, hi = net.nodes.min(axis=0), net.nodes.max(axis=0)
    origins = rng.uniform(lo, hi, size=(20_000, 2))
    dests = rng.uniform(lo, hi, size=(50, 2))
    nearest_distances(net, origins, {"d": dests}, limit=1000)
    t2 = time.perf_counter()
    return {"edges": len(net.u), "build_s": t1 - t0, "pass_20k_origins_s": t2 - t1}


#: Parameters of the loaded database's run: those of ``dothi demo`` (Mỹ Tho's zoning is planned use).
DEMO_PARAMS = {"land_use_mix": {"status": "planned"}}
#: The generated city grew 25 % in ten years.
GENERATED_PARAMS = {"sdg_11_3_1": {"population_start": str(MYTHO_POP * 0.8), "population_start_year": "2010"}}


def measure(engine: Any, data_dir: Path | None, params: dict[str, dict[str, str]]) -> dict[str, Any]:
    t0, c0 = time.perf_counter(), time.process_time()
    reports = run_all(engine, force=True, data_dir=data_dir, params=params)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "total_s": round(total, 1),
        "cpu_s": round(cpu, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "indicators": {r.indicator_id: ("skipped" if r.skipped else round(r.seconds, 1)) for r in reports},
        "network": network_timing(engine),
    }


def child(args: argparse.Namespace) -> None:
    if args.scale is None:
        settings = DatabaseSettings()
        engine = create_engine(database_url(settings))
        result = measure(engine, settings.data_dir, DEMO_PARAMS)
        result["data"] = "loaded database"
    else:
        with TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            engine, url = build_generated(args.scale, Path(tmp))
            build = time.perf_counter() - t0
            result = measure(engine, Path(tmp), GENERATED_PARAMS)
            result["data"] = f"generated city ×{args.scale:g} (synthetic)"
            result["load_s"] = round(build, 1)
            engine.dispose()
            if not args.keep:
                drop_database(url)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--generate", type=float, action="append", help="scale of a generated city (repeatable)"
    )
    parser.add_argument(
        "--loaded", action="store_true", help="also the loaded database (default without --generate)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    runs: list[list[str]] = []
    if args.loaded or not args.generate:
        runs.append([])
    runs += [["--scale", str(s)] for s in args.generate or []]
    results = []
    for extra in runs:
        cmd = [sys.executable, __file__, "--child", *extra, *(["--keep"] if args.keep else [])]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            continue
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(result, indent=2))
        results.append(result)
    if not results:
        raise SystemExit("no run finished")
    section = render(results, sys.argv[1:])
    print(section)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


def render(results: list[dict[str, Any]], argv: list[str]) -> str:
    """A Markdown section: one column per run, totals then one row per indicator."""
    cols = [r["data"] for r in results]
    names = list(results[0]["indicators"])

    def row(label: str, values: list[Any]) -> str:
        return f"| {label} | " + " | ".join(str(v) for v in values) + " |"

    lines = [
        "",
        f"## Indicator catalogue (issue 5) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`.venv/bin/python bench/bench_indicators.py {' '.join(argv)}` on {platform.node()} "
        f"({os.cpu_count()} cores, shared); each data set in a fresh process, `force=True`; "
        "seconds of wall time.",
        "",
        "| | " + " | ".join(cols) + " |",
        "|---|" + "---|" * len(cols),
        row("**whole catalogue, wall s**", [f"**{r['total_s']}**" for r in results]),
        row("CPU s", [r["cpu_s"] for r in results]),
        row("peak RSS MB", [r["peak_rss_mb"] for r in results]),
        row("load average at the end", [r["load_average"] for r in results]),
        row("walking-network edges", [f"{r['network']['edges']:,}" for r in results]),
        row("network build s", [round(r["network"]["build_s"], 2) for r in results]),
        row("one pass, 20,000 origins s", [round(r["network"]["pass_20k_origins_s"], 2) for r in results]),
        *(row(n, [r["indicators"].get(n, "—") for r in results]) for n in names),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
