"""Revision 0020_area_versions on a database at 0019: the scenarios drawn before it keep reading
"baseline changed" exactly where their table changed since they were drawn, and the per-area
versions start from the rows already there; the downgrade goes back to whole-table versions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import URL

from gis import migrate
from gis.engine import create_engine
from tests.conftest import VERSION_DIRS

pytestmark = pytest.mark.db


def _rows(url: URL, statement: str, params: dict[str, object] | None = None) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cur = conn.connection.driver_connection.cursor()
            cur.execute(statement, params)
            return list(cur.fetchall()) if cur.description else []
    finally:
        engine.dispose()


def test_scenarios_of_before_keep_their_changes_and_nothing_else(scratch_url: URL) -> None:
    engine = create_engine(scratch_url)
    try:
        migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS, revision="0019_scenario_areas")
    finally:
        engine.dispose()
    # one school of Mỹ Tho, and a statement on the markets that inserts nothing (a version, no rows)
    _rows(
        scratch_url,
        "INSERT INTO infrastructure.schools (school_id, level, synthetic, geom, area) VALUES "
        "('s1', 'primary', true, ST_SetSRID(ST_Point(106.36, 10.36), 4326), 'mytho');"
        "INSERT INTO infrastructure.markets (market_id, synthetic, geom, area) "
        "SELECT 'm1', true, ST_SetSRID(ST_Point(106.36, 10.36), 4326), 'mytho' WHERE false;",
    )
    ((drawn,),) = _rows(
        scratch_url,
        "SELECT jsonb_object_agg(table_name, version) FROM catalog.data_versions "
        "WHERE split_part(table_name, '.', 1) IN ('land', 'infrastructure', 'environment')",
    )
    # "fresh" was drawn on today's versions; "old" before the last change to the schools
    stale = {**drawn, "infrastructure.schools": drawn["infrastructure.schools"] - 1}
    for name, versions in (("fresh", drawn), ("old", stale)):
        _rows(
            scratch_url,
            "INSERT INTO scenario.scenarios (name, title_vi, title_en, author, baseline_versions) "
            "VALUES (%(name)s, 't', 't', 'test', %(versions)s)",
            {"name": name, "versions": json.dumps(versions)},
        )
    engine = create_engine(scratch_url)
    try:
        migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS, revision="0020_area_versions")
    finally:
        engine.dispose()
    stored = dict(_rows(scratch_url, "SELECT name, baseline_versions FROM scenario.scenarios"))
    # only the tables with rows of Mỹ Tho have a version of Mỹ Tho; the schools' starts at 1
    assert stored["fresh"] == {"infrastructure.schools": 1}
    assert stored["old"] == {"infrastructure.schools": -1}
    assert _rows(scratch_url, "SELECT catalog.baseline_versions('mytho')") == [
        ({"infrastructure.schools": 1},)
    ]
    _rows(scratch_url, "UPDATE infrastructure.schools SET name = 'x'")
    assert _rows(scratch_url, "SELECT catalog.baseline_versions('mytho')") == [
        ({"infrastructure.schools": 2},)
    ]
    assert _rows(scratch_url, "SELECT catalog.baseline_versions('tien_giang')") == [({},)]

    engine = create_engine(scratch_url)
    try:
        migrate.downgrade(engine, extra_version_dirs=VERSION_DIRS, revision="0019_scenario_areas")
        assert _rows(
            scratch_url, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'dothi_area_version%'"
        ) == [(0,)]
        assert _rows(scratch_url, "SELECT to_regclass('catalog.area_data_versions')") == [(None,)]
        migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)  # and up again
    finally:
        engine.dispose()
    assert _rows(scratch_url, "SELECT catalog.baseline_versions('mytho')") == [
        ({"infrastructure.schools": 1},)
    ]
