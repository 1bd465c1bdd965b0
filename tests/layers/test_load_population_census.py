"""The census time series land.population_census: the shipped 2009 and 2019 counts load with their
totals and provenance, again as a no-op; bad input is refused naming the file, feature and field,
and nothing is loaded."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import psycopg2.errors
import pytest
import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy.engine import Engine

from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers.catalog import ADMIN_UNITS, POPULATION_CENSUS
from layers.errors import ValidationError
from layers.load import SourceInfo, content_checksum, load_frame
from layers.sources import mytho
from tests.conftest import VERSION_DIRS


@pytest.fixture(scope="module")
def census_db(db_settings: DatabaseSettings) -> Iterator[Engine]:
    """A migrated database of its own, holding the bundled Mỹ Tho data."""
    base = database_url(db_settings)
    url = base.set(database=f"{base.database}_census_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    mytho.load_bundles(engine)
    yield engine
    engine.dispose()
    drop_database(url)


def _state(engine: Engine) -> tuple[tuple[int, str], tuple[int, str], int]:
    with engine.connect() as conn:
        loads = conn.execute(sa.text("SELECT count(*) FROM catalog.load_provenance")).scalar_one()
        return content_checksum(conn, POPULATION_CENSUS), content_checksum(conn, ADMIN_UNITS), loads


def test_the_shipped_censuses_load_with_their_totals_and_source(census_db: Engine) -> None:
    with census_db.connect() as conn:
        per_year = conn.execute(
            sa.text(
                "SELECT census_year, vintage, count(*), sum(population), bool_or(synthetic) "
                "FROM land.population_census GROUP BY 1, 2 ORDER BY 1"
            )
        ).all()
        unmatched = conn.execute(
            sa.text(
                "SELECT count(*) FROM land.population_census c LEFT JOIN land.admin_units u "
                "ON u.vintage = c.vintage AND u.code = c.code WHERE u.unit_id IS NULL"
            )
        ).scalar_one()
        load = conn.execute(
            sa.text(
                "SELECT source_path, licence, attribution, features_written, scope "
                "FROM catalog.load_provenance WHERE layer = 'land.population_census'"
            )
        ).one()
        sources = dict(
            conn.execute(sa.text("SELECT DISTINCT census_year, source FROM land.population_census")).all()
        )
    # 2009: the censusVN2009 counts of the 17 units; 2019: the GSO total of Mỹ Tho (SOURCES.md)
    assert [tuple(r) for r in per_year] == [
        (2009, 2019, 17, 188_881, False),
        (2019, 2019, 17, 228_109, False),
    ]
    assert unmatched == 0  # every count belongs to a unit of land.admin_units (vintage 2019)
    assert "my_tho_wards_2009bnd_pop2009_pop2019.geojson" in load.source_path
    assert "MIT" in load.licence and "General Statistics Office" in load.attribution
    assert load.features_written == 34 and json.loads(load.scope) == {"vintage": 2019}
    assert "2009" in sources[2009] and "2019" in sources[2019]


def test_loading_again_is_a_no_op(census_db: Engine) -> None:
    before = _state(census_db)
    reports = mytho.load_bundles(census_db)
    assert all(r.unchanged for r in reports)
    assert _state(census_db) == before


def _edited_copy(tmp_path: Path, edit: dict[int, dict[str, object]]) -> Path:
    data = json.loads((mytho.data_dir() / mytho.WARDS_2019).read_text(encoding="utf-8"))
    for pos, props in edit.items():
        data["features"][pos]["properties"].update(props)
    (tmp_path / mytho.WARDS_2019).write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_a_missing_unit_code_or_negative_count_in_the_file_is_named_and_nothing_loads(
    census_db: Engine, tmp_path: Path
) -> None:
    before = _state(census_db)
    folder = _edited_copy(tmp_path, {2: {"commune_id": None}, 5: {"pop_2009_census": -120}})
    with pytest.raises(ValidationError) as err:
        mytho.load_bundles(census_db, [*mytho.admin_unit_bundles(), mytho.population_census(folder)])
    text = str(err.value)
    path = str(folder / mytho.WARDS_2019)
    assert f"{path}: feature #3 ('Phường 7'): no unit code (commune_id)" in text
    assert f"{path}: feature #6 (code 8070111), field 'pop_2009_census': -120" in text
    assert "nothing was written" in text
    assert _state(census_db) == before


def test_the_loader_refuses_a_negative_population_from_any_source(census_db: Engine) -> None:
    before = _state(census_db)
    frame = mytho.population_census().frame.astype({"population": object})
    frame.loc[20, "population"] = -5
    frame.loc[21, "code"] = None
    with pytest.raises(ValidationError) as err:
        load_frame(
            census_db,
            POPULATION_CENSUS,
            frame,
            source=SourceInfo("census.gpkg", "c" * 64),
            scope={"vintage": 2019},
        )
    text = str(err.value)
    ids = frame["census_unit_id"]
    assert f"census.gpkg: feature #21 (id '{ids[20]}'), field 'population': -5 is below the minimum 0" in text
    assert f"census.gpkg: feature #22 (id '{ids[21]}'), field 'code': required but empty" in text
    assert _state(census_db) == before


def test_the_table_itself_refuses_a_negative_count(census_db: Engine) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError) as err, census_db.begin() as conn:
        conn.execute(sa.text("UPDATE land.population_census SET population = -1 WHERE census_year = 2009"))
    assert isinstance(err.value.orig, psycopg2.errors.CheckViolation)
    assert "population_census_population_minimum" in str(err.value)


def test_a_census_file_without_counts_is_refused(tmp_path: Path) -> None:
    data = json.loads((mytho.data_dir() / mytho.WARDS_2019).read_text(encoding="utf-8"))
    for feature in data["features"]:
        del feature["properties"]["pop_2009_census"]
    (tmp_path / mytho.WARDS_2019).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="column 'pop_2009_census' missing"):
        mytho.population_census(tmp_path)
    assert isinstance(mytho.population_census().frame, gpd.GeoDataFrame)
