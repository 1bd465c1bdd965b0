"""Several study areas in one database: a second area never touches the first, indicators run per
area give what each area alone gives, and the CLI's ``--area``.

One throw-away database: Mỹ Tho (real units + census, synthetic layers at a small scale) and a
three-commune subset of the former Tiền Giang province as a second area.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.registry import get_indicator
from analysis.runner import compute_indicator, run_all
from gis.engine import create_engine, drop_database
from gis.settings import DatabaseSettings
from layers.areas import UnknownAreaError, get_area, list_areas
from layers.catalog import LAYERS
from layers.load import content_checksum
from layers.sources import mytho, tien_giang
from layers.synthetic.context import city_from_units
from layers.synthetic.generate import generate, generate_and_load, load_synthetic
from tests.layers.conftest import _migrated

pytestmark = pytest.mark.db

AREA = "tg_test"
#: Phường 5, Phường 4 and Tân Long of Mỹ Tho city: the second area overlaps the first on the ground
#: (as the province contains the city) and is small enough for a fast test.
COMMUNES = ("8070101", "8070103", "8070117")
SEED = 2019
MYTHO_WARDS = ("8070105", "8070107", "8070109")
INDICATORS = ("population_density", "green_area", "street_network", "transit_access")


def _rows_digest(engine: Engine, schema: str, table: str, area: str) -> tuple[int, str]:
    """Row count and md5 of every column of every row of ``area`` (load ids and run ids too)."""
    query = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} AS t "
        "WHERE area = %(area)s"
    ).format(sql.Identifier(schema, table))
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(query, {"area": area})
        n, digest = cur.fetchone()
    return int(n), str(digest)


def _area_state(engine: Engine, data_dir: Path, area: str) -> dict[str, object]:
    state: dict[str, object] = {
        s.qualified_name: _rows_digest(engine, s.schema, s.table, area) for s in LAYERS.values()
    }
    state["catalog.rasters"] = _rows_digest(engine, "catalog", "rasters", area)
    for path in sorted((data_dir / "rasters").glob("*/*.tif")):
        state[str(path)] = path.read_bytes()
    return state


@pytest.fixture(scope="module")
def areas_db(
    db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Path, str]]:
    url = _migrated(db_settings, "areas")
    engine = create_engine(url)
    data_dir = tmp_path_factory.mktemp("areas-data")
    mytho.load_bundles(engine)
    # Mỹ Tho's synthetic layers, generated on three of its wards only (the whole city takes minutes)
    wards = mytho.admin_units_2019().frame
    city = city_from_units(wards[wards["code"].isin(MYTHO_WARDS)], seed=SEED, scale=0.1)
    load_synthetic(engine, data_dir, generate(seed=SEED, city=city), area="mytho")
    yield engine, data_dir, url.render_as_string(hide_password=False)
    engine.dispose()
    drop_database(url)


def test_a_second_area_leaves_the_first_byte_identical(areas_db: tuple[Engine, Path, str]) -> None:
    engine, data_dir, _ = areas_db
    before = _area_state(engine, data_dir, "mytho")
    checksums = {
        s.name: content_checksum(engine.connect(), s, scope={"area": "mytho"}) for s in LAYERS.values()
    }
    assert before["land.admin_units"][0] == 22 and before["land.buildings"][0] > 10  # type: ignore[index]

    tien_giang.load(engine, area=AREA, communes=COMMUNES)
    generate_and_load(engine, data_dir, seed=SEED, scale=0.2, area=AREA)
    # replacing the second area (fewer communes) replaces its rows only
    tien_giang.load(engine, area=AREA, communes=COMMUNES[:2])

    assert _area_state(engine, data_dir, "mytho") == before
    assert {
        s.name: content_checksum(engine.connect(), s, scope={"area": "mytho"}) for s in LAYERS.values()
    } == checksums
    units = _rows_digest(engine, "land", "admin_units", AREA)[0]
    assert units == 2
    assert _rows_digest(engine, "land", "buildings", AREA)[0] > 0
    area = get_area(engine, AREA)
    assert area.bbox is not None and 106.0 < area.bbox[0] < area.bbox[2] < 107.0
    assert {a.code for a in list_areas(engine)} == {"mytho", AREA}
    with pytest.raises(UnknownAreaError, match="mytho, tg_test"):
        get_area(engine, "nowhere")


def _published(engine: Engine, table: str, area: str) -> pd.DataFrame:
    with engine.connect() as conn:
        query = sql.SQL("SELECT * FROM {} WHERE area = :area ORDER BY result_id").format(
            sql.Identifier("analysis", table)
        )
        text = query.as_string(conn.connection.driver_connection)
        frame = pd.read_sql(sa.text(text), conn, params={"area": area})
    return frame.drop(columns=["geom"])


def test_indicators_per_area_equal_each_area_alone(areas_db: tuple[Engine, Path, str]) -> None:
    engine, data_dir, _ = areas_db
    if not _rows_digest(engine, "land", "admin_units", AREA)[0]:
        tien_giang.load(engine, area=AREA, communes=COMMUNES[:2])
        generate_and_load(engine, data_dir, seed=SEED, scale=0.2, area=AREA)
    run_all(engine, only=INDICATORS, data_dir=data_dir, force=True)
    alone = {i: _published(engine, get_indicator(i).table, "mytho") for i in INDICATORS}
    run_all(engine, only=INDICATORS, data_dir=data_dir, area=AREA, force=True)
    for i in INDICATORS:
        spec = get_indicator(i)
        # Mỹ Tho's published rows are untouched by the second area's run
        pd.testing.assert_frame_equal(_published(engine, spec.table, "mytho"), alone[i])
        # the second area's rows are what computing that area alone gives
        mine = _published(engine, spec.table, AREA)
        solo = compute_indicator(engine, spec, data_dir=data_dir, area=AREA).rows
        assert len(mine) == len(solo) > 0
        assert set(mine["result_id"]) == {
            f"{AREA}:{lv}:{u}" for lv, u in zip(solo["level"], solo["unit_id"], strict=True)
        }
        values = solo.set_index(AREA + ":" + solo["level"] + ":" + solo["unit_id"])[spec.value_column]
        got = mine.set_index("result_id")[spec.value_column]
        pd.testing.assert_series_equal(
            got.sort_index().astype(float), values.sort_index().astype(float), check_names=False, rtol=1e-9
        )
        assert (mine["area"] == AREA).all()


def test_cli_area_option(areas_db: tuple[Engine, Path, str], dothi_cli: list[str], tmp_path: Path) -> None:
    engine, _, url = areas_db
    if not _rows_digest(engine, "land", "admin_units", AREA)[0]:
        tien_giang.load(engine, area=AREA, communes=COMMUNES[:2])
    env = {**os.environ, "DOTHI_DATABASE_URL": url}

    def dothi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*dothi_cli, *args], env=env, capture_output=True, text=True, check=False)

    listed = dothi("--json", "areas", "list")
    assert listed.returncode == 0, listed.stderr
    assert [a["area"] for a in json.loads(listed.stdout)] == ["mytho", AREA]
    bad = dothi("indicators", "run", "--area", "atlantis", "--only", "population_density")
    assert bad.returncode != 0
    assert "atlantis" in bad.stderr and "mytho" in bad.stderr and AREA in bad.stderr
    malformed = dothi("indicators", "run", "--area", "Bad Area")
    assert malformed.returncode != 0 and "--area" in malformed.stderr
    out = tmp_path / "units.geojson"
    exported = dothi("export", "admin_units", str(out), "--area", AREA)
    assert exported.returncode == 0, exported.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["area"] for f in features} == {AREA}
    assert len(features) == _rows_digest(engine, "land", "admin_units", AREA)[0]
    ran = dothi("indicators", "run", "--area", AREA, "--only", "population_density")
    assert ran.returncode == 0, ran.stderr
    assert _rows_digest(engine, "analysis", "population_density", AREA)[0] > 0
    shown = dothi("--json", "indicators", "show", "population_density", "--area", AREA)
    assert shown.returncode == 0, shown.stderr
    wards = [r for r in json.loads(shown.stdout) if r["level"] == "ward"]
    assert wards and all(r["unit_id"].startswith(f"{AREA}:") for r in wards)
    # the area's total row is named after the area (catalog.study_areas), not "the whole city"
    area = get_area(engine, AREA)
    totals = [r for r in json.loads(shown.stdout) if r["level"] == "city"]
    assert totals  # one per boundary vintage loaded
    for r in totals:
        assert r["name_vi"] == f"Toàn vùng {area.name_vi} (ranh giới {r['vintage']})"
        assert r["name_en"] == f"Whole area: {area.name_en} ({r['vintage']} boundaries)"
    text = dothi("indicators", "show", "population_density", "--area", AREA, "--level", "city")
    assert text.returncode == 0, text.stderr
    assert f"Toàn vùng {area.name_vi}" in text.stdout and "Toàn thành phố" not in text.stdout
    # Mỹ Tho, a city, keeps "Toàn thành phố" / "Whole city"
    assert dothi("indicators", "run", "--only", "population_density").returncode == 0
    city = dothi("--json", "indicators", "show", "population_density", "--level", "city")
    assert city.returncode == 0, city.stderr
    assert {r["name_en"] for r in json.loads(city.stdout)} == {
        "Whole city (2019 boundaries)",
        "Whole city (2025 boundaries)",
    }
