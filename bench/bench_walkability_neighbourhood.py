"""Benchmark: walkability on the network neighbourhood (GHSCI) against the straight-line circle.

``python bench/bench_walkability_neighbourhood.py`` computes the ``walkability`` indicator on the
loaded database (``DOTHI_*`` settings, the embedded cluster by default; ``make demo`` loads Mỹ Tho)
twice, without storing anything — ``network_neighbourhood=true`` (the method) and ``false`` (the
earlier straight-line 1 km circle) — and prints the wall time of each and the per-ward values of
the latest boundary vintage side by side, as Markdown for ``bench/RESULTS.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.registry import INDICATORS
from analysis.runner import compute_indicator
from gis.engine import create_engine, database_url
from gis.settings import DatabaseSettings

COLUMNS = ("walkability", "population_density_km2", "intersection_density_km2")


def main() -> None:
    settings = DatabaseSettings()
    engine = create_engine(database_url(settings))
    spec = INDICATORS["walkability"]
    rows, seconds, cpu = {}, {}, {}
    for network in (False, True):
        t0, c0 = time.perf_counter(), time.process_time()
        computed = compute_indicator(
            engine, spec, params={"network_neighbourhood": str(network).lower()}, data_dir=settings.data_dir
        )
        seconds[network], cpu[network] = time.perf_counter() - t0, time.process_time() - c0
        rows[network] = computed.rows
    engine.dispose()
    before, after = rows[False], rows[True]
    print(
        f"wall s (CPU s of this process): circle {seconds[False]:.1f} ({cpu[False]:.1f}), "
        f"network {seconds[True]:.1f} ({cpu[True]:.1f})\n"
    )
    head = "| unit | " + " | ".join(f"{c} circle | {c} network" for c in COLUMNS) + " |"
    print(head)
    print("|---" * (1 + 2 * len(COLUMNS)) + "|")
    after = after.set_index("unit_id")
    for _, row in before.set_index("unit_id").iterrows():
        unit = row.name
        if row["level"] not in ("ward", "city"):
            continue
        cells = " | ".join(f"{row[c]:.2f} | {after.loc[unit, c]:.2f}" for c in COLUMNS)
        print(f"| {unit} | {cells} |")


if __name__ == "__main__":
    main()
