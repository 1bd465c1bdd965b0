"""Benchmark: indicator results one level at a time (issue 12) — the rounded level views and the
level-ordered, rounded combined collection against reading the table as before.

Runs the feature and tile providers in-process (no HTTP) on the demo database (`dothi demo` first)
and writes the median latency of each case to ``bench/RESULTS.md``.

    .venv/bin/python bench/bench_levels.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config.providers import tables  # noqa: E402
from api_config.providers.mvt import PostGISTileProvider  # noqa: E402
from api_config.providers.postgis import PostGISProvider  # noqa: E402
from gis.engine import database_url  # noqa: E402
from gis.settings import DatabaseSettings  # noqa: E402

ID = "health_access"


def _data() -> dict[str, Any]:
    url = database_url(DatabaseSettings())
    return {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }


def _feature(name: str, **info: Any) -> PostGISProvider:
    provider = PostGISProvider(
        {"name": "x", "type": "feature", "data": _data(), "options": {"kind": "indicator", "name": name}}
    )
    if info:  # the table as published before issue 12: no level order, no rounding
        provider.info = replace(provider.info, **info)
    return provider


def _tiles(name: str, **info: Any) -> PostGISTileProvider:
    provider = PostGISTileProvider(
        {
            "name": "x",
            "type": "tile",
            "data": _data(),
            "options": {"kind": "indicator", "name": name, "zoom": {"min": 0, "max": 22}, "cache_mb": 0},
            "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
        }
    )
    if info:
        provider.info = replace(provider.info, **info)
    return provider


def _median_ms(call: Callable[[], Any], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    before = {"level_order": False, "digits": {}}
    combined, old = _feature(ID), _feature(ID, **before)
    ward_view = _feature(f"{ID}-ward-2025")
    col, row = _tile_xy(106.36, 10.353, 14)
    cases = {
        "wards 2025, before: combined table filtered (level=ward, datetime=2025)": lambda: old.query(
            limit=1000, properties=[("level", "ward")], datetime_="2025"
        ),
        "wards 2025, now: view `health_access-ward-2025` (rounded)": lambda: ward_view.query(limit=1000),
        "combined first page (10), before: by result_id, raw values": lambda: old.query(limit=10),
        "combined first page (10), now: wards first, rounded": lambda: combined.query(limit=10),
        "combined page of 1000 at offset 4000, before": lambda: old.query(limit=1000, offset=4000),
        "combined page of 1000 at offset 4000, now": lambda: combined.query(limit=1000, offset=4000),
        "grid tile z14, before: combined table, raw values": lambda: _tiles(ID, **before).get_tiles(
            layer=ID, tileset="WebMercatorQuad", z=14, y=row, x=col
        ),
        "grid tile z14, now: view `health_access-grid` (rounded)": lambda: _tiles(f"{ID}-grid").get_tiles(
            layer=ID, tileset="WebMercatorQuad", z=14, y=row, x=col
        ),
    }
    results = {name: _median_ms(call, args.repeat) for name, call in cases.items()}
    tables.describe.cache_clear()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"\n## Indicator levels: views, order and rounding (issue 12) — {now}\n",
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}; demo database (5,462 rows of health_access); "
        "providers in-process, no HTTP, tile cache off.",
        f"Command: `.venv/bin/python bench/bench_levels.py --repeat {args.repeat}` "
        f"(median of {args.repeat}).\n",
        "| case | median ms |",
        "|---|---|",
        *(f"| {name} | {ms:.1f} |" for name, ms in results.items()),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    main()
