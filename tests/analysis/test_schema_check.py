"""Every catalog layer's and indicator's table in a migrated database against its declaration.

The migrations are frozen, so a layer or indicator added to the catalog without its own revision
shows up here (and in `dothi db check`) as a table no revision creates.
"""

from __future__ import annotations

import os
import subprocess

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from analysis.registry import INDICATORS
from analysis.schema_check import check_schema, declared_tables
from gis import migrate
from gis.engine import create_engine
from layers.catalog import LAYERS
from tests.conftest import VERSION_DIRS


def test_every_declared_table_matches_the_migrated_database(engine: Engine) -> None:
    declared = {f"{t.schema}.{t.name}" for _, t in declared_tables()}
    assert {f"{s.schema}.{s.table}" for s in LAYERS.values()} <= declared
    assert {f"analysis.{s.table}" for s in INDICATORS.values()} <= declared
    assert len(declared) == len(LAYERS) + len(INDICATORS)
    assert check_schema(engine) == []


def test_geometry_type_and_srid_are_compared(engine: Engine) -> None:
    """The declared spelling of geometry columns is what PostgreSQL reports (so a change is seen)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT f_table_schema || '.' || f_table_name, type, srid FROM geometry_columns "
                "WHERE f_table_schema IN ('land', 'infrastructure', 'environment', 'analysis')"
            )
        ).all()
    actual = {name: (gtype, srid) for name, gtype, srid in rows}
    for _, table in declared_tables():
        geom = table.c.geom.type
        assert actual[f"{table.schema}.{table.name}"] == (geom.geometry_type, geom.srid)


def test_differences_are_listed_table_by_table(scratch_url: URL, dothi_cli: list[str]) -> None:
    eng = create_engine(scratch_url)
    try:
        migrate.upgrade(eng, extra_version_dirs=VERSION_DIRS)
        env = {**os.environ, "DOTHI_DATABASE_URL": scratch_url.render_as_string(hide_password=False)}
        ok = subprocess.run([*dothi_cli, "db", "check"], env=env, capture_output=True, text=True, check=False)
        assert ok.returncode == 0, ok.stderr
        with eng.begin() as conn:
            conn.execute(sa.text("DROP TABLE analysis.walkability"))
            conn.execute(sa.text("ALTER TABLE infrastructure.roads DROP COLUMN lanes"))
            conn.execute(sa.text("ALTER TABLE land.buildings ALTER COLUMN floors TYPE integer"))
            conn.execute(sa.text("ALTER TABLE land.admin_units ALTER COLUMN code DROP NOT NULL"))
            conn.execute(sa.text("ALTER TABLE land.buildings ADD COLUMN colour text"))
            conn.execute(
                sa.text(
                    "ALTER TABLE environment.flood_zones ALTER COLUMN geom TYPE geometry(MultiPolygon, 3405)"
                )
            )
        problems = {str(p) for p in check_schema(eng)}
    finally:
        eng.dispose()
    proc = subprocess.run(
        [*dothi_cli, "--json", "db", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "walkability" in proc.stdout
    assert (
        "analysis.walkability (indicator walkability): table missing: no migration revision creates it"
        in problems
    )
    assert any(p.startswith("infrastructure.roads (layer roads): column 'lanes' missing") for p in problems)
    assert "land.buildings (layer buildings): column 'floors' is integer, declared bigint" in problems
    assert "land.admin_units (layer admin_units): column 'code' is not NOT NULL as declared" in problems
    assert any("land.buildings" in p and "colour" in p and "not declared" in p for p in problems)
    assert any("environment.flood_zones" in p and "geometry(multipolygon,3405)" in p for p in problems)
