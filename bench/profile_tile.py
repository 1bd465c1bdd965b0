"""Where PostgreSQL's time goes in one vector tile (issue 15): the z16 tile statement dothi sends,
cut into its parts, each timed by ``pgbench`` (one client, so the figure is the statement's own
latency) over the same rotation of z16 tiles as ``bench_throughput.py``.

1. the index scan of the tile's search box (``&&``);
2. plus ``ST_AsMVTGeom`` of every row (clip to the tile, snap to the grid, validate with wagyu);
3. plus ``ST_AsMVT`` of the geometries alone (the rows capped as tile.sql caps them, which also keeps
   the planner from computing ``ST_AsMVTGeom`` twice);
4. the whole statement (``tile.sql``: every published property encoded too).

Each part's cost is its difference with the one before.  Run ``bench_throughput.py`` once first
(it generates the bench table).

    .venv/bin/python bench/profile_tile.py [--seconds 5]
"""

# pgbench scripts are SQL text by nature (pgbench binds its own :variables); built from constants only
# ruff: noqa: S608

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config.providers.mvt import BUFFER, DEFAULT_MAX_FEATURES, EXTENT  # noqa: E402
from bench.bench_throughput import pgbench_scripts  # noqa: E402
from gis.engine import database_url  # noqa: E402
from gis.settings import DatabaseSettings  # noqa: E402

TILE = "vector tile z16, no cache"
BOUNDS = (
    "WITH bounds AS (SELECT ST_Transform(ST_TileEnvelope(16, :x, :y), 4326) AS tile, "
    f"ST_Transform(ST_TileEnvelope(16, :x, :y, margin => {BUFFER / EXTENT}), 4326) AS search) "
)
ROWS = "FROM land.buildings AS t, bounds WHERE t.geom && bounds.search"
MVT_GEOM = f"ST_AsMVTGeom(t.geom, bounds.tile::box2d, {EXTENT}, {BUFFER}, true)"


def parts() -> dict[str, str]:
    """The statements, each with the pgbench variables of the whole tile statement."""
    whole = pgbench_scripts()[TILE]
    header = "\n".join(line for line in whole.splitlines() if line.startswith("\\set"))
    statement = "\n".join(line for line in whole.splitlines() if not line.startswith("\\set"))
    return {
        "index scan": f"{header}\n{BOUNDS}SELECT count(*) {ROWS};",
        "+ ST_AsMVTGeom": f"{header}\n{BOUNDS}SELECT count({MVT_GEOM}) {ROWS};",
        "+ ST_AsMVT, geometry only": (
            f"{header}\n{BOUNDS}, rows AS (SELECT {MVT_GEOM} AS mvt_geom {ROWS} "
            f"LIMIT {DEFAULT_MAX_FEATURES}) SELECT ST_AsMVT(rows, 'buildings', {EXTENT}, 'mvt_geom') "
            "FROM rows WHERE mvt_geom IS NOT NULL;"
        ),
        "whole statement (every property)": f"{header}\n{statement}",
    }


def latency_ms(script: str, seconds: int) -> float:
    settings = DatabaseSettings()
    url = database_url(settings).set(database=f"{settings.db_name}_bench")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as fh:
        fh.write(script + "\n")
    cmd = [
        "pgbench", "-n", "-M", "simple", "-c", "1", "-T", str(seconds),
        "-h", str(url.host), "-p", str(url.port), "-U", str(url.username), "-f", fh.name, str(url.database),
    ]  # fmt: skip
    done = subprocess.run(
        cmd, capture_output=True, text=True, env=dict(os.environ, PGPASSWORD=url.password or ""), check=False
    )
    Path(fh.name).unlink()
    found = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    if done.returncode or not found:
        raise SystemExit(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    before = 0.0
    print("| part | ms a tile (cumulative) | this part (ms) |\n|---|---|---|")
    for name, script in parts().items():
        ms = latency_ms(script, args.seconds)
        print(f"| {name} | {ms:.2f} | {ms - before:.2f} |")
        before = ms


if __name__ == "__main__":
    main()
