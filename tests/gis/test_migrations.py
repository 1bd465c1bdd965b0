"""Migrations up and down on a scratch database."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis import migrate
from gis.engine import create_engine
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS

DIRS = (LAYER_VERSIONS, ANALYSIS_VERSIONS)
SCHEMAS = {"land", "infrastructure", "environment", "analysis", "catalog"}


def _schemas(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.text("SELECT nspname FROM pg_namespace")).scalars())


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = ANY(:s)"),
            {"s": list(SCHEMAS)},
        ).scalars()
        return set(rows)


def test_upgrade_downgrade_upgrade(scratch_url: URL) -> None:
    engine = create_engine(scratch_url)
    try:
        assert migrate.current_revisions(engine) == set()
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        assert migrate.current_revisions(engine) == migrate.head_revisions(DIRS)
        assert _schemas(engine) >= SCHEMAS
        assert {
            "catalog.load_provenance",
            "land.admin_units",
            "analysis.indicator_runs",
            "analysis.population_density",
        } <= _tables(engine)
        migrate.upgrade(engine, extra_version_dirs=DIRS)  # idempotent
        migrate.downgrade(engine, extra_version_dirs=DIRS, revision="base")
        assert migrate.current_revisions(engine) == set()
        assert not (SCHEMAS & _schemas(engine))
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        assert _schemas(engine) >= SCHEMAS
    finally:
        engine.dispose()


def test_admin_units_table_matches_the_catalog(scratch_url: URL) -> None:
    from layers.catalog import ADMIN_UNITS

    engine = create_engine(scratch_url)
    try:
        migrate.upgrade(engine, extra_version_dirs=DIRS)
        cols = {c["name"] for c in sa.inspect(engine).get_columns("admin_units", schema="land")}
        assert set(ADMIN_UNITS.attribute_names) | {"synthetic", "source", "load_id", "area", "geom"} == cols
        with engine.connect() as conn:
            srid, gtype = conn.execute(
                sa.text(
                    "SELECT srid, type FROM geometry_columns WHERE f_table_schema='land' "
                    "AND f_table_name='admin_units'"
                )
            ).one()
        assert (srid, gtype) == (4326, "MULTIPOLYGON")
    finally:
        engine.dispose()
