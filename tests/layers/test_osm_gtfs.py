"""OSM and GTFS loaders on the real Las Palmas de Gran Canaria data, through the CLI.

Las Palmas is outside Mỹ Tho, so these run on their own database without admin units.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from shapely.geometry import LineString
from sqlalchemy.engine import URL, Engine

from api_config.cli import cli
from layers.catalog import ROADS
from layers.load import SourceInfo, load_frame
from tests.layers.conftest import BOUNDARY, GTFS_ZIP, OSM_PBF


def _invoke(url: URL, *args: str) -> str:
    """Run the CLI in-process (its start-up costs 10+ s per subprocess on the shared machine)."""
    result = CliRunner().invoke(
        cli, list(args), env={"DOTHI_DATABASE_URL": url.render_as_string(hide_password=False)}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _count(engine: Engine, query: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(query)).scalar_one())


@pytest.fixture(scope="module")
def osm_loaded(lp_url: URL, lp_engine: Engine) -> list[dict[str, object]]:
    """Las Palmas OSM loaded with its municipal boundary, over one synthetic road."""
    synthetic = gpd.GeoDataFrame(
        {"road_id": ["syn-1"], "road_class": ["residential"], "walkable": [True], "synthetic": [True]},
        geometry=[LineString([(-15.43, 28.10), (-15.42, 28.11)])],
        crs="EPSG:4326",
    )
    load_frame(lp_engine, ROADS, synthetic, source=SourceInfo("generated", "s" * 64, synthetic=True))
    return json.loads(_invoke(lp_url, "--json", "load", "osm", str(OSM_PBF), "--boundary", str(BOUNDARY)))


def test_osm_counts_are_plausible(osm_loaded: list[dict[str, object]], lp_engine: Engine) -> None:
    written = {r["layer"]: r["written"] for r in osm_loaded}
    streets = _count(
        lp_engine,
        "SELECT count(*) FROM infrastructure.roads WHERE road_class IN "
        "('primary','secondary','tertiary','residential','unclassified','living_street','trunk','motorway')",
    )
    assert 2_000 < streets < 50_000  # a city of 380 000 people has streets in the thousands
    assert written["infrastructure.roads"] == _count(lp_engine, "SELECT count(*) FROM infrastructure.roads")
    assert 10_000 < written["land.buildings"] < 200_000
    assert 30 < written["infrastructure.schools"] < 2_000
    assert 30 < written["infrastructure.health_facilities"] < 2_000
    assert 30 < written["infrastructure.markets"] < 2_000
    assert 100 < written["environment.green_spaces"] < 50_000
    assert 200 < written["infrastructure.transit_stops"] < 5_000
    assert _count(lp_engine, "SELECT count(*) FROM land.buildings WHERE NOT ST_IsValid(geom)") == 0
    # Spanish diacritics survive, and the tag mapping did its job on a well-known street
    assert (
        _count(
            lp_engine, "SELECT count(*) FROM infrastructure.roads WHERE name LIKE 'Calle León y Castillo%'"
        )
        > 0
    )
    assert (
        _count(
            lp_engine, "SELECT count(*) FROM infrastructure.roads WHERE road_class = 'motorway' AND walkable"
        )
        == 0
    )
    assert _count(lp_engine, "SELECT count(*) FROM infrastructure.schools WHERE level = 'university'") > 0


def test_osm_respects_the_boundary_and_replaces_synthetic(
    osm_loaded: list[dict[str, object]], lp_engine: Engine
) -> None:
    roads = next(r for r in osm_loaded if r["layer"] == "infrastructure.roads")
    assert roads["synthetic_removed"] == 1
    assert _count(lp_engine, "SELECT count(*) FROM infrastructure.roads WHERE synthetic") == 0
    boundary = gpd.read_file(BOUNDARY).to_crs(4326).union_all()
    with lp_engine.connect() as conn:
        points = gpd.read_postgis(
            sa.text("SELECT geom FROM infrastructure.transit_stops"), conn, geom_col="geom"
        )
    assert points.intersects(boundary).all()
    assert _count(lp_engine, "SELECT count(*) FROM infrastructure.roads WHERE source <> 'OpenStreetMap'") == 0


def test_osm_topology_survives_the_database(osm_loaded: list[dict[str, object]], lp_engine: Engine) -> None:
    """Streets read back from PostGIS still meet at OSM's shared nodes: the same walking network
    (intersections, bridges kept apart) as the extract read directly."""
    from analysis.indicators.access import street_topology, walk_network
    from analysis.indicators.network import consolidated_intersections
    from analysis.inputs import read_vector
    from layers.osm import read_osm

    stored = read_vector(lp_engine, "roads")
    assert stored is not None
    crs = stored.estimate_utm_crs()
    stored = stored.to_crs(crs)
    direct = read_osm(OSM_PBF, boundary=gpd.read_file(BOUNDARY).to_crs(4326).union_all()).frames["roads"]
    direct = direct.to_crs(crs)
    assert street_topology(stored) == "shared_nodes"
    from_db, from_file = walk_network(stored), walk_network(direct)
    assert (len(from_db.nodes), len(from_db.u)) == (len(from_file.nodes), len(from_file.u))
    assert len(consolidated_intersections(from_db)) == len(consolidated_intersections(from_file))


def test_history_lists_the_osm_load(osm_loaded: list[dict[str, object]], lp_url: URL) -> None:
    rows = json.loads(_invoke(lp_url, "--json", "layers", "history", "roads"))
    assert rows[0]["source_path"].endswith("las_palmas_2023-02-21.osm.pbf")
    roads = next(r for r in osm_loaded if r["layer"] == "infrastructure.roads")
    assert rows[0]["features_written"] == roads["written"]
    assert [r["synthetic"] for r in rows[:2]] == [False, True]  # the generated load before it
    text = _invoke(lp_url, "layers", "history", "roads")
    assert "infrastructure.roads: 2 load(s)" in text


def _seconds(hms: pd.Series) -> pd.Series:
    h, m, s = (hms.str.split(":", expand=True)[i].astype(int) for i in range(3))
    return h * 3600 + m * 60 + s


def _independent_frequencies(day: dt.date) -> pd.DataFrame:
    """Weekday departures and peak headway straight from the feed's text files."""
    with zipfile.ZipFile(GTFS_ZIP) as zf:
        cal, dates, trips, st = (
            pd.read_csv(zf.open(f"{n}.txt"), dtype=str)
            for n in ("calendar", "calendar_dates", "trips", "stop_times")
        )
    stamp = day.strftime("%Y%m%d")
    weekday = day.strftime("%A").lower()
    on = set(cal[(cal[weekday] == "1") & (cal.start_date <= stamp) & (cal.end_date >= stamp)].service_id)
    on |= set(dates[(dates.date == stamp) & (dates.exception_type == "1")].service_id)
    on -= set(dates[(dates.date == stamp) & (dates.exception_type == "2")].service_id)
    st = st.merge(trips[trips.service_id.isin(on)][["trip_id"]], on="trip_id")
    st["seq"] = st.stop_sequence.astype(int)
    last = st.groupby("trip_id").seq.max().rename("last")
    st = st.join(last, on="trip_id")
    st = st[(st.seq != st["last"]) & (st.pickup_type.fillna("0") != "1")]
    t = _seconds(st.departure_time)
    departures = st.stop_id.value_counts()
    peak = st[(t >= 7 * 3600) & (t < 9 * 3600)].stop_id.value_counts()
    return pd.DataFrame({"departures": departures, "headway": 120.0 / peak}).fillna({"departures": 0})


def test_gtfs_frequencies_match_an_independent_computation(lp_url: URL, lp_engine: Engine) -> None:
    report = json.loads(_invoke(lp_url, "--json", "load", "gtfs", str(GTFS_ZIP)))[0]
    note = next(n for n in report["notes"] if n.startswith("frequencies for service day"))
    day = dt.date.fromisoformat(note.split()[4])
    assert day.weekday() < 5
    expected = _independent_frequencies(day)
    with lp_engine.connect() as conn:
        got = pd.read_sql(
            sa.text(
                "SELECT substr(stop_id, 6) AS stop_id, weekday_departures, peak_headway_min "
                "FROM infrastructure.transit_stops WHERE stop_id LIKE 'gtfs:%'"
            ),
            conn,
        ).set_index("stop_id")
    assert len(got) == report["written"] > 500
    joined = got.join(expected, how="left")
    assert (joined.weekday_departures == joined.departures.fillna(0)).all()
    both = joined.dropna(subset=["headway"])
    assert len(both) > 300
    assert np.allclose(both.peak_headway_min, both.headway)
    assert joined.loc[joined.headway.isna(), "peak_headway_min"].isna().all()
    assert joined.weekday_departures.sum() > 50_000  # a city bus network: tens of thousands of departures/day
