"""Results one level at a time, rounded, and labelled when computed from generated data.

A real PostGIS database with the tiny city (tests/analysis/city.py): its two wards and streets first
loaded as synthetic data, then the same streets loaded again as real data in their place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import URL, Engine

from analysis.levels import LevelView, parse_collection_id, published_views
from analysis.provenance import result_provenance
from analysis.registry import STREET_NETWORK
from analysis.runner import run_indicator
from api_config.cli import cli
from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers import catalog
from layers.load import SourceInfo, load_frame
from tests.analysis import city
from tests.conftest import VERSION_DIRS

GENERATED = SourceInfo(path="tests/analysis/city.py", checksum="tiny-city-generated", synthetic=True)
SURVEYED = SourceInfo(path="tests/analysis/city-survey.gpkg", checksum="tiny-city-surveyed")


@pytest.fixture(scope="module")
def streets_db() -> Iterator[tuple[Engine, URL]]:
    """Real wards (not synthetic) and generated streets."""
    base = database_url(DatabaseSettings())
    url = base.set(database=f"{base.database}_levels_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    load_frame(engine, catalog.ADMIN_UNITS, city.units(), source=SURVEYED)
    load_frame(engine, catalog.ROADS, city.roads().assign(synthetic=True), source=GENERATED)
    yield engine, url
    engine.dispose()
    drop_database(url)


def _provenance(engine: Engine) -> tuple[bool | None, list[str]]:
    with engine.connect() as conn:
        found = result_provenance(conn.connection.driver_connection.cursor(), STREET_NETWORK)
    assert found is not None
    return found.synthetic, found.synthetic_inputs


def _rows(engine: Engine, query: str, **params: object) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(query), params).all())


def test_generated_inputs_flag_rows_runs_and_clear_with_real_data(streets_db) -> None:
    engine, _ = streets_db
    report = run_indicator(engine, STREET_NETWORK)
    assert not report.unchanged
    assert _provenance(engine) == (True, ["infrastructure.roads"])
    rows = _rows(engine, "SELECT DISTINCT synthetic, synthetic_inputs FROM analysis.street_network")
    assert [(r[0], r[1]) for r in rows] == [(True, ["infrastructure.roads"])]
    run = _rows(
        engine,
        "SELECT synthetic, synthetic_inputs FROM analysis.indicator_runs WHERE run_id = :run",
        run=report.run_id,
    )
    assert [(r[0], r[1]) for r in run] == [(True, ["infrastructure.roads"])]
    # the surveyed streets replace the generated ones: the next run is real
    load_frame(engine, catalog.ROADS, city.roads(), source=SURVEYED, drop_synthetic=True)
    again = run_indicator(engine, STREET_NETWORK)
    assert not again.unchanged and again.run_id != report.run_id
    assert _provenance(engine) == (False, [])
    rows = _rows(engine, "SELECT DISTINCT synthetic, synthetic_inputs FROM analysis.street_network_ward_2019")
    assert [(r[0], r[1]) for r in rows] == [(False, [])]


def test_one_view_per_level_and_vintage_readable_by_the_reader(streets_db) -> None:
    engine, _ = streets_db
    run_indicator(engine, STREET_NETWORK)
    with engine.connect() as conn:
        views = published_views(conn.connection.driver_connection.cursor(), STREET_NETWORK)
    assert [v.view for v in views] == ["street_network_ward_2019", "street_network_city"]
    assert [v.collection_id for v in views] == ["street_network-ward-2019", "street_network-city"]
    wards = _rows(engine, "SELECT level, vintage, name_vi FROM analysis.street_network_ward_2019 ORDER BY 3")
    assert [tuple(r) for r in wards] == [("ward", 2019, "Phường Hai"), ("ward", 2019, "Phường Một")]
    cities = _rows(engine, "SELECT level, vintage, name_vi, name_en FROM analysis.street_network_city")
    assert [tuple(r) for r in cities] == [
        ("city", 2019, "Toàn thành phố (ranh giới 2019)", "Whole city (2019 boundaries)")
    ]
    with engine.begin() as conn:  # the API's group role may read the views, and only read them
        conn.execute(sa.text("SET LOCAL ROLE dothi_reader"))
        assert conn.execute(sa.text("SELECT count(*) FROM analysis.street_network_ward_2019")).scalar() == 2
        conn.execute(sa.text("RESET ROLE"))


def test_views_round_to_the_stated_precision(streets_db) -> None:
    engine, _ = streets_db
    run_indicator(engine, STREET_NETWORK)
    with engine.begin() as conn:  # a value with more digits than published (as from a real city)
        conn.execute(sa.text("UPDATE analysis.street_network SET street_km = street_km + 0.123456789"))
    exact = dict(_rows(engine, "SELECT unit_id, street_km FROM analysis.street_network WHERE level = 'ward'"))
    view = dict(_rows(engine, "SELECT unit_id, street_km FROM analysis.street_network_ward_2019"))
    digits = STREET_NETWORK.digits("street_km")
    assert digits == 2
    assert set(view) == set(exact)
    for unit, value in view.items():
        assert value == round(exact[unit], digits) and value != exact[unit]
    value_digits = STREET_NETWORK.precision
    assert STREET_NETWORK.value_column == "intersection_density_per_km2"
    for (value,) in _rows(
        engine, "SELECT intersection_density_per_km2 FROM analysis.street_network_ward_2019"
    ):
        assert value is None or value == round(value, value_digits)
    # the next publication re-creates the views over the new rows
    run_indicator(engine, STREET_NETWORK, force=True)
    fresh = dict(_rows(engine, "SELECT unit_id, street_km FROM analysis.street_network_ward_2019"))
    assert fresh != view


def test_collection_ids_name_their_view() -> None:
    view = parse_collection_id("street_network-ward-2019")
    assert view == LevelView(STREET_NETWORK, "ward", 2019)
    assert view.qualified_name == "analysis.street_network_ward_2019"
    assert parse_collection_id("street_network-city") == LevelView(STREET_NETWORK, "city")
    for not_a_level in ("street_network", "street_network-ward", "street_network-city-2019", "nope-grid"):
        assert parse_collection_id(not_a_level) is None


def test_cli_show_one_vintage_says_which(streets_db) -> None:
    engine, url = streets_db
    run_indicator(engine, STREET_NETWORK)
    env = {"DOTHI_DATABASE_URL": url.render_as_string(hide_password=False)}
    runner = CliRunner()
    args = ["indicators", "show", STREET_NETWORK.id, "--level", "ward", "--vintage", "2019"]
    text = runner.invoke(cli, args, env=env)
    assert text.exit_code == 0, text.output
    wards = [line for line in text.stdout.splitlines() if line.strip().startswith("ward")]
    assert len(wards) == 2 and all("[2019]" in line for line in wards)
    rows = json.loads(runner.invoke(cli, [*args, "--json"], env=env).stdout)
    assert {(r["level"], r["vintage"]) for r in rows} == {("ward", 2019)}
    for r in rows:
        assert r["value"] is None or r["value"] == round(r["value"], STREET_NETWORK.precision)
    none = runner.invoke(cli, ["indicators", "show", STREET_NETWORK.id, "--vintage", "1990"], env=env)
    assert none.exit_code == 2 and "no results for boundary vintage 1990" in none.output
