"""``dothi load osm|gtfs --area``: the Las Palmas extract and feed land in their own study area,
replace that area's rows only, and are checked against that area's outline (real data, real DB).

Mỹ Tho holds hand-made rows that a load without an area filter would take for its own: OSM roads
and GTFS stops with the same source label, a synthetic road, and a stop whose id is one of the
feed's.  They must stay byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import geopandas as gpd
import pytest
from click.testing import CliRunner
from psycopg2 import sql
from shapely.geometry import LineString, Point
from sqlalchemy.engine import URL, Engine

from api_config.cli import cli
from gis.engine import create_engine, drop_database
from gis.settings import DatabaseSettings
from layers.areas import ensure_area
from layers.catalog import ADMIN_UNITS, ROADS, TRANSIT_STOPS
from layers.gtfs import read_gtfs
from layers.load import SourceInfo, load_frame
from layers.sources import mytho
from tests.layers.conftest import BOUNDARY, GTFS_ZIP, OSM_PBF, _migrated

pytestmark = pytest.mark.db

AREA = "las_palmas"
GTFS_SOURCE = f"GTFS {GTFS_ZIP.name}"


def _digest(engine: Engine, table: tuple[str, str], area: str) -> tuple[int, str]:
    query = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} AS t "
        "WHERE area = %(area)s"
    ).format(sql.Identifier(*table))
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(query, {"area": area})
        n, digest = cur.fetchone()
    return int(n), str(digest)


def _mytho_state(engine: Engine) -> dict[str, tuple[int, str]]:
    return {
        name: _digest(engine, (spec.schema, spec.table), "mytho")
        for name, spec in (("roads", ROADS), ("transit_stops", TRANSIT_STOPS))
    }


def _mytho_rows(engine: Engine) -> None:
    """Mỹ Tho rows labelled like the Las Palmas loads (same scope, same stop id, synthetic)."""
    first_stop = str(read_gtfs(GTFS_ZIP).frame["stop_id"].iloc[0])
    stops = gpd.GeoDataFrame(
        {
            "stop_id": [first_stop, "gtfs:mytho-2"],
            "mode": ["bus", "bus"],
            "capacity": ["low", "low"],
            "source": [GTFS_SOURCE] * 2,
        },
        geometry=[Point(106.355, 10.360), Point(106.365, 10.355)],
        crs="EPSG:4326",
    )
    load_frame(
        engine, TRANSIT_STOPS, stops, source=SourceInfo(GTFS_SOURCE, "g" * 64), scope={"source": GTFS_SOURCE}
    )
    roads = gpd.GeoDataFrame(
        {
            "road_id": ["osm:w1", "syn-1"],
            "road_class": ["residential", "residential"],
            "walkable": [True, True],
            "source": ["OpenStreetMap", "generated"],
            "synthetic": [False, True],
        },
        geometry=[
            LineString([(106.35, 10.36), (106.36, 10.36)]),
            LineString([(106.36, 10.35), (106.37, 10.35)]),
        ],
        crs="EPSG:4326",
    )
    load_frame(engine, ROADS, roads, source=SourceInfo("hand-made", "r" * 64))


@pytest.fixture(scope="module")
def two_areas(db_settings: DatabaseSettings) -> Iterator[tuple[URL, Engine]]:
    """Mỹ Tho (real admin units, hand-made roads and stops) and Las Palmas, its outline from the
    municipal boundary file."""
    url = _migrated(db_settings, "osmareas")
    engine = create_engine(url)
    for bundle in mytho.admin_unit_bundles():
        load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
    _mytho_rows(engine)
    outline = gpd.read_file(BOUNDARY).to_crs(4326).union_all()
    with engine.begin() as conn:
        ensure_area(conn, AREA, name_vi="Las Palmas", name_en="Las Palmas", licence="ODbL 1.0")
        conn.connection.driver_connection.cursor().execute(
            "UPDATE catalog.study_areas SET boundary = ST_Multi(ST_GeomFromText(%(wkt)s, 4326)) "
            "WHERE area = %(area)s",
            {"wkt": outline.wkt, "area": AREA},
        )
    yield url, engine
    engine.dispose()
    drop_database(url)


def _invoke(url: URL, *args: str) -> tuple[int, str]:
    """Exit code and standard output (the error messages when it failed), in-process."""
    result = CliRunner().invoke(
        cli, list(args), env={"DOTHI_DATABASE_URL": url.render_as_string(hide_password=False)}
    )
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_gtfs_into_a_second_area_leaves_mytho_untouched(two_areas: tuple[URL, Engine]) -> None:
    url, engine = two_areas
    before = _mytho_state(engine)
    # Las Palmas lies outside Mỹ Tho: refused there (the extent check is the area's) ...
    code, out = _invoke(url, "load", "gtfs", str(GTFS_ZIP))
    assert code != 0 and "mytho" in out
    # ... and loaded, unforced, into its own area
    code, out = _invoke(url, "--json", "load", "gtfs", str(GTFS_ZIP), "--area", AREA)
    assert code == 0, out
    written = json.loads(out)[0]["written"]
    assert written > 500
    assert _digest(engine, ("infrastructure", "transit_stops"), AREA)[0] == written
    assert _mytho_state(engine) == before
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT count(*) FROM infrastructure.transit_stops WHERE area = %s AND stop_id NOT LIKE %s",
            (AREA, f"{AREA}:gtfs:%"),
        )
        assert cur.fetchone()[0] == 0  # ids prefixed with the area: the feed's ids stay free in Mỹ Tho
    # a second load of the same feed into the same area changes nothing
    code, out = _invoke(url, "--json", "load", "gtfs", str(GTFS_ZIP), "--area", AREA)
    assert code == 0 and json.loads(out)[0]["unchanged"], out


def test_osm_into_a_second_area_leaves_mytho_untouched(two_areas: tuple[URL, Engine]) -> None:
    url, engine = two_areas
    before = _mytho_state(engine)
    code, out = _invoke(
        url, "--json", "load", "osm", str(OSM_PBF), "--boundary", str(BOUNDARY), "--area", AREA
    )
    assert code == 0, out
    reports = {r["layer"]: r for r in json.loads(out)}
    roads = _digest(engine, ("infrastructure", "roads"), AREA)[0]
    assert roads == reports["infrastructure.roads"]["written"] > 2_000
    assert _mytho_state(engine) == before
    code, out = _invoke(url, "load", "osm", str(OSM_PBF), "--area", "atlantis")
    assert code != 0 and "atlantis" in out and AREA in out and "mytho" in out
