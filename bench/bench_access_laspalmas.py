"""Benchmark: the accessibility indicators on the real Las Palmas de Gran Canaria data.

``python bench/bench_access_laspalmas.py [--record] [--keep]``

1. Creates a throw-away database ``<db>_bench_laspalmas`` in the configured cluster and loads the
   copies in ``tests/data/las_palmas``: the municipal boundary as ``admin_units`` (population from
   the GHS Urban Centre Database 2015, see :func:`admin_unit`), the OpenStreetMap extract through
   ``dothi load osm`` and the Guaguas Municipales GTFS feed through ``dothi load gtfs`` (both run
   in-process through the CLI, the code path a user runs).
2. Runs the registry's accessibility indicators whose inputs are loaded (``force=True``), timing
   each; the others are reported as skipped, with the reason.
3. Times building the walking network and one multi-source Dijkstra pass (origins → nearest bus
   stop, bounded at 1 km), and the same pass with networkx ``multi_source_dijkstra_path_length``
   on the same graph, checking both give the same distances.
4. Prints a Markdown section (``--record`` appends it to ``bench/RESULTS.md``) and drops the
   database (unless ``--keep``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import sqlalchemy as sa
from click.testing import CliRunner
from scipy.sparse.csgraph import dijkstra
from sqlalchemy.engine import URL, Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.indicators.access import point_xy, walk_network  # noqa: E402
from analysis.indicators.network import DISTANCE_DECIMALS, access_graph, nearest_distances  # noqa: E402
from analysis.indicators.population import Origins, population_origins  # noqa: E402
from analysis.inputs import input_set, read_vector  # noqa: E402
from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS  # noqa: E402
from analysis.registry import get_indicator  # noqa: E402
from analysis.runner import analysis_epsg, run_all  # noqa: E402
from analysis.tables import result_table  # noqa: E402
from api_config.cli import cli  # noqa: E402
from gis import migrate  # noqa: E402
from gis.engine import create_engine, database_url, drop_database, ensure_database  # noqa: E402
from gis.settings import DatabaseSettings  # noqa: E402
from layers.catalog import ADMIN_UNITS  # noqa: E402
from layers.load import SourceInfo, file_checksum, load_frame  # noqa: E402
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS  # noqa: E402

DATA = ROOT / "tests" / "data" / "las_palmas"
OSM_PBF = DATA / "las_palmas_2023-02-21.osm.pbf"
BOUNDARY = DATA / "las_palmas_boundary.geojson"
GTFS_ZIP = DATA / "las_palmas_gtfs_2023-02-22.zip"
UCDB = DATA / "las_palmas_ghs_ucdb_2015.gpkg"
RESULTS = ROOT / "bench" / "RESULTS.md"

#: The accessibility indicators of the registry (analysis/catalogue/access.py, open-space access).
ACCESS_IDS = (
    "transit_access",
    "health_access",
    "health_beds_2sfca",
    "education_access",
    "open_space_access",
    "walkability",
)
#: Bound of the compared Dijkstra pass: the high-capacity stop distance of SDG 11.2.1 (m).
PASS_LIMIT_M = 1000.0
#: The GHS-UCDB 2015 field holding the urban centre's population in 2015.
UCDB_POPULATION = "P15"


def peak_rss_mb() -> float:
    """Peak resident memory of this process (MB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass
class Timer:
    """Wall seconds of named steps."""

    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        self.seconds[name] = time.perf_counter() - t0
        return out


# ---------------------------------------------------------------------------------------------
# loading the real data
# ---------------------------------------------------------------------------------------------


def admin_unit() -> tuple[gpd.GeoDataFrame, str]:
    """The municipality as one admin unit, with a population from the GHS-UCDB 2015.

    The urban centre of the GHS-UCDB ("Las Palmas de Gran Canaria; Telde") extends beyond the
    municipality, so its 2015 population (field ``P15``) is areal-weighted: the share of the urban
    centre's area that lies inside the municipal boundary.

    Returns
    -------
    tuple
        The one-row admin-units frame (EPSG:4326) and a sentence saying where its population comes from.
    """
    boundary = gpd.read_file(BOUNDARY).to_crs(4326)
    centre = gpd.read_file(UCDB).to_crs(4326)
    metric = boundary.estimate_utm_crs()
    town = boundary.to_crs(metric).union_all()
    uc = centre.to_crs(metric).union_all()
    share = town.intersection(uc).area / uc.area
    total = float(centre[UCDB_POPULATION].iloc[0])
    population = round(total * share)
    row = boundary.iloc[0]
    frame = gpd.GeoDataFrame(
        {
            "unit_id": [f"2015-{row['NATCODE']}"],
            "vintage": [2015],
            "code": [str(row["NATCODE"])],
            "name_vi": [row["NAMEUNIT"]],
            "name_en": [row["NAMEUNIT"]],
            "level": ["city"],
            "population": [population],
            "population_year": [2015],
        },
        geometry=[boundary.union_all()],
        crs=4326,
    )
    note = (
        f"GHS-UCDB 2015 field `{UCDB_POPULATION}` = {total:,.0f} people for the urban centre "
        f'"{centre["UC_NM_LST"].iloc[0]}" ({uc.area / 1e6:.1f} km²); {share:.1%} of its area lies in '
        f"the municipality ({town.area / 1e6:.1f} km²) → {population:,} people (areal weighting)"
    )
    return frame, note


def _cli(url: URL, *args: str) -> list[dict[str, Any]]:
    """Run ``dothi --json <args>`` in-process against ``url``; its JSON load reports."""
    env = {"DOTHI_DATABASE_URL": url.render_as_string(hide_password=False)}
    result = CliRunner().invoke(cli, ["--json", *args], env=env)
    if result.exit_code != 0:
        raise RuntimeError(f"dothi {' '.join(args)} failed:\n{result.output}")
    reports: list[dict[str, Any]] = json.loads(result.stdout)
    return reports


def load_city(url: URL, engine: Engine, timer: Timer) -> dict[str, Any]:
    """Load boundary + population, the OSM extract and the GTFS feed; features written per layer."""
    units, population_note = admin_unit()
    source = SourceInfo(
        str(UCDB.relative_to(ROOT)),
        file_checksum([BOUNDARY, UCDB]),
        "EPSG:4326",
        "CC BY 4.0 (boundary: IGN/CNIG; population: European Commission JRC, GHS-UCDB 2015)",
    )
    timer.run("load admin_units", lambda: load_frame(engine, ADMIN_UNITS, units, source=source))
    osm = timer.run("load osm", lambda: _cli(url, "load", "osm", str(OSM_PBF), "--boundary", str(BOUNDARY)))
    gtfs = timer.run("load gtfs", lambda: _cli(url, "load", "gtfs", str(GTFS_ZIP)))
    written = {
        source: {r["layer"].split(".")[1]: r["written"] for r in reports}
        for source, reports in (("OSM", osm), ("GTFS", gtfs))
    }
    return {"written": written, "population_note": population_note}


def create_database() -> tuple[URL, Engine]:
    """A fresh, migrated ``<db>_bench_laspalmas`` in the configured cluster."""
    base = database_url(DatabaseSettings())
    url = base.set(database=f"{base.database}_bench_laspalmas")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=(LAYER_VERSIONS, ANALYSIS_VERSIONS))
    return url, engine


# ---------------------------------------------------------------------------------------------
# indicators
# ---------------------------------------------------------------------------------------------


def runnable(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """The accessibility indicators whose required inputs are loaded; the others with the reason."""
    ready, skipped = [], {}
    for i in ACCESS_IDS:
        spec = get_indicator(i)
        found = input_set(engine, spec)
        missing = [name for name in spec.inputs if not found.present(name)]
        if missing:
            skipped[i] = f"missing input {', '.join(missing)}"
        else:
            ready.append(i)
    return ready, skipped


def city_value(engine: Engine, indicator_id: str) -> dict[str, Any]:
    """The city-level value of an indicator, its unit and the population source, from its table."""
    spec = get_indicator(indicator_id)
    table = result_table(spec)
    query = sa.select(table.c[spec.value_column], table.c["population_source"]).where(
        table.c["level"] == "city"
    )
    with engine.connect() as conn:
        value, source = conn.execute(query).one()
    return {"column": spec.value_column, "value": value, "unit": spec.unit, "population_source": source}


def facilities_with_beds(engine: Engine) -> tuple[int, int]:
    """Health facilities with a bed count (the 2SFCA supply), and all of them."""
    query = sa.text("SELECT count(*) FILTER (WHERE beds > 0), count(*) FROM infrastructure.health_facilities")
    with engine.connect() as conn:
        with_beds, total = conn.execute(query).one()
    return int(with_beds), int(total)


def run_indicators(engine: Engine) -> dict[str, Any]:
    """Run the runnable accessibility indicators in one ``run_all``; seconds and city values."""
    ready, skipped = runnable(engine)
    t0 = time.perf_counter()
    reports = run_all(engine, only=ready, force=True) if ready else []
    total = time.perf_counter() - t0
    seconds = {r.indicator_id: r.seconds for r in reports}
    values = {r.indicator_id: city_value(engine, r.indicator_id) for r in reports}
    return {
        "seconds": seconds,
        "total_s": total,
        "skipped": skipped,
        "city": values,
        "beds": facilities_with_beds(engine),
    }


# ---------------------------------------------------------------------------------------------
# the walking network, our multi-source pass and networkx's
# ---------------------------------------------------------------------------------------------


def network_inputs(engine: Engine, timer: Timer) -> tuple[gpd.GeoDataFrame, Origins, np.ndarray]:
    """Roads, population origins (timed) and stop coordinates in the runner's analysis CRS."""
    frames = {name: read_vector(engine, name) for name in ("admin_units", "roads", "transit_stops")}
    epsg = analysis_epsg(f for f in frames.values() if f is not None)
    metric = {name: f.to_crs(epsg=epsg) for name, f in frames.items() if f is not None}
    origins = timer.run(
        "population origins", lambda: population_origins({"admin_units": metric["admin_units"]})
    )
    stops = point_xy(metric["transit_stops"], layer="infrastructure.transit_stops")
    return metric["roads"], origins, stops


def networkx_pass(graph: Any, limit: float, timer: Timer) -> np.ndarray:
    """Origin → nearest-source distances with networkx on the same split graph (``inf`` beyond)."""
    g = timer.run("networkx graph", lambda: nx.from_scipy_sparse_array(graph.matrix))
    sources = graph.sources["stops"].tolist()
    found = timer.run(
        "networkx pass",
        lambda: nx.multi_source_dijkstra_path_length(g, sources, cutoff=limit + 1e-3, weight="weight"),
    )
    dist = np.array([found.get(int(n), np.inf) for n in graph.origin_node])
    total = np.round(dist + graph.origin_gap, DISTANCE_DECIMALS)
    return np.where(total <= limit, total, np.inf)


def compare(ours: np.ndarray, theirs: np.ndarray) -> dict[str, Any]:
    """Same reach, and the largest absolute difference where both are finite."""
    same_reach = bool(np.array_equal(np.isfinite(ours), np.isfinite(theirs)))
    both = np.isfinite(ours) & np.isfinite(theirs)
    diff = float(np.abs(ours[both] - theirs[both]).max()) if both.any() else 0.0
    return {"same_reach": same_reach, "max_abs_diff_m": diff, "reached": int(both.sum())}


def network_pass(engine: Engine) -> dict[str, Any]:
    """Build the network, run our multi-source pass and networkx's on the same graph, compare."""
    timer = Timer()
    roads, origins, stops = network_inputs(engine, timer)
    net = timer.run("network build", lambda: walk_network(roads))
    ours = timer.run(
        "snap + split + pass",
        lambda: nearest_distances(net, origins.xy, {"stops": stops}, limit=PASS_LIMIT_M)["stops"],
    )
    graph = timer.run("snap + split", lambda: access_graph(net, origins.xy, {"stops": stops}))
    timer.run(
        "scipy pass",
        lambda: dijkstra(
            graph.matrix,
            directed=False,
            indices=graph.sources["stops"],
            min_only=True,
            limit=PASS_LIMIT_M + 1e-3,
        ),
    )
    theirs = networkx_pass(graph, PASS_LIMIT_M, timer)
    return {
        "nodes": len(net.nodes),
        "edges": len(net.u),
        "km": net.total_length / 1000,
        "graph_nodes": graph.matrix.shape[0],
        "graph_edges": int(graph.matrix.nnz),
        "origins": len(origins.xy),
        "origins_method": origins.method,
        "stops": len(stops),
        "seconds": timer.seconds,
        "check": compare(ours, theirs),
    }


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def _value(v: dict[str, Any]) -> str:
    number = "—" if v["value"] is None else f"{v['value']:.1f}"
    return f"{number} {v['unit']} (`{v['column']}`)"


def _network_lines(n: dict[str, Any]) -> list[str]:
    s, c = n["seconds"], n["check"]
    return [
        f"Walking network: {n['nodes']:,} nodes, {n['edges']:,} edges, {n['km']:,.0f} km; built in "
        f"{s['network build']:.2f} s. Origins: {n['origins']:,} ({n['origins_method']}); "
        f"destinations: {n['stops']:,} transit stops; bound {PASS_LIMIT_M:.0f} m. Making the origins "
        f"(`population_origins`) takes {s['population origins']:.1f} s and every indicator does it again.",
        "",
        "| multi-source pass (same split graph: "
        f"{n['graph_nodes']:,} nodes, {n['graph_edges']:,} edges) | wall s |",
        "|---|---|",
        f"| dothi `nearest_distances` (snap + split + pass) | {s['snap + split + pass']:.2f} |",
        f"| of which snap + split (`access_graph`) | {s['snap + split']:.2f} |",
        f"| dothi pass: `scipy.sparse.csgraph.dijkstra(min_only=True)` | {s['scipy pass']:.3f} |",
        f"| networkx {nx.__version__} `multi_source_dijkstra_path_length` | {s['networkx pass']:.3f} |",
        f"| networkx graph construction (`from_scipy_sparse_array`) | {s['networkx graph']:.2f} |",
        "",
        f"Same origins reached: {c['same_reach']} ({c['reached']:,} within {PASS_LIMIT_M:.0f} m); "
        f"max |dothi − networkx| = {c['max_abs_diff_m']:.2g} m.",
    ]


def markdown(result: dict[str, Any]) -> str:
    """The ``bench/RESULTS.md`` section of one run."""
    ind, load = result["indicators"], result["load"]
    per = ", ".join(f"{k} {v:.1f}" for k, v in ind["seconds"].items())
    city = [f"| {k} | {_value(v)} |" for k, v in ind["city"].items()]
    skipped = "; ".join(f"{k}: {v}" for k, v in ind["skipped"].items()) or "none"
    written = "; ".join(
        f"{source}: " + ", ".join(f"{k} {v:,}" for k, v in layers.items())
        for source, layers in load["written"].items()
    )
    loads = ", ".join(f"{k} {v:.1f} s" for k, v in result["load_seconds"].items())
    lines = [
        f"## Accessibility on real Las Palmas de Gran Canaria data (branch `laspalmas`, {result['date']})",
        "",
        f"Command: `{result['command']}` — {result['cores']} cores, load average "
        f"{result['load_average']:.1f} at the end; peak RSS {result['peak_rss_mb']:,.0f} MB.",
        f"Data (`tests/data/las_palmas`): OSM extract {result['sizes']['osm']}, GTFS "
        f"{result['sizes']['gtfs']}; written: {written}. Loading: {loads}.",
        f"Population: {load['population_note']}, spread evenly over the municipality (its unbuilt "
        "hills and ravines included, which lowers every share against a population grid). "
        "Shares do not depend on the total; beds per 1,000 do.",
        f"Health facilities with a bed count: {ind['beds'][0]} of {ind['beds'][1]} (OSM), hence "
        "health_beds_2sfca's value.",
        "",
        f"Indicators (`run_all(only=…, force=True)`), wall s: {per}; total {ind['total_s']:.1f} s. "
        f"Skipped: {skipped}.",
        "",
        "| indicator (city) | value |",
        "|---|---|",
        *city,
        "",
        *_network_lines(result["network"]),
        "",
    ]
    return "\n".join(lines)


def measure(url: URL, engine: Engine) -> dict[str, Any]:
    """Load, run, time; everything :func:`markdown` needs."""
    timer = Timer()
    load = load_city(url, engine, timer)
    indicators = run_indicators(engine)
    network = network_pass(engine)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "sizes": {"osm": _mb(OSM_PBF), "gtfs": _mb(GTFS_ZIP)},
        "load": load,
        "load_seconds": timer.seconds,
        "indicators": indicators,
        "network": network,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (``argv`` empty under ``python -m bench``: print only, drop the database)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--record", action="store_true", help="append the section to bench/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the database <db>_bench_laspalmas")
    args = parser.parse_args([] if argv is None else argv)
    url, engine = create_database()
    try:
        result = measure(url, engine)
    finally:
        engine.dispose()
        if not args.keep:
            drop_database(url)
    result["command"] = " ".join([".venv/bin/python bench/bench_access_laspalmas.py", *(argv or [])])
    section = markdown(result)
    print(section)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n" + section)


if __name__ == "__main__":
    main(sys.argv[1:])
