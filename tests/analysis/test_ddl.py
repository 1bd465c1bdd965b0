"""``dothi db ddl``: the SQL of a new revision is what the declaration means, and it suffices."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from analysis.ddl import declared_table, revision_sql, table_statements
from analysis.registry import INDICATORS
from analysis.schema_check import check_schema
from gis import migrate
from gis.engine import create_engine
from gis.sqlscript import run_script
from layers.catalog import LAYERS
from layers.errors import UnknownLayerError
from tests.conftest import ROOT, VERSION_DIRS

FROZEN = "\n".join(
    p.read_text(encoding="utf-8")
    for p in (
        *(ROOT / "layers/migrations/sql").glob("*.sql"),
        *(ROOT / "analysis/migrations/sql").glob("*.sql"),
    )
)


FROZEN_WORDS = " ".join(FROZEN.split())
PROVENANCE_SQL = (ROOT / "analysis/migrations/sql/result_provenance.sql").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*LAYERS, *INDICATORS])
def test_the_generated_statements_are_those_of_the_frozen_revisions(name: str) -> None:
    """Each statement of a declaration must be in the frozen files verbatim — except the CREATE
    TABLE of a table a later revision altered (ALTER TABLE … ADD COLUMN): that one is its first
    revision's, and the schema check compares the columns. 0009 adds the provenance columns to
    every results table."""
    if name in INDICATORS:
        assert f"ALTER TABLE analysis.{name}\n    ADD COLUMN synthetic boolean," in PROVENANCE_SQL
    table = declared_table(name)
    statements = table_statements(table)
    assert statements[0].startswith("CREATE TABLE")
    if re.search(rf"ALTER TABLE {table.schema}\.{table.name}\s+ADD COLUMN", FROZEN):
        statements = statements[1:]
    # verbatim up to line breaks (a frozen file may wrap a long COMMENT)
    missing = [s for s in statements if " ".join(s.split()) not in FROZEN_WORDS]
    if name in INDICATORS:  # v0.1.0 gave population_density no level index
        missing = [s for s in missing if s != f"CREATE INDEX {name}_level_idx ON analysis.{name} (level);"]
    assert not missing


def test_a_new_revision_from_the_generated_sql_satisfies_the_check(scratch_url: URL) -> None:
    engine = create_engine(scratch_url)
    try:
        migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE analysis.walkability, environment.flood_zones"))
        assert len(check_schema(engine)) == 2
        with engine.begin() as conn:
            run_script(conn, revision_sql("walkability"))
            run_script(conn, revision_sql("flood_zones"))
        assert check_schema(engine) == []
        with engine.connect() as conn:
            tracked = conn.execute(
                sa.text("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'analysis.walkability'::regclass")
            ).scalar()
        assert tracked and tracked > 0
    finally:
        engine.dispose()


def test_an_unknown_name_is_a_clear_error() -> None:
    with pytest.raises(UnknownLayerError, match="no layer or indicator called 'nope'"):
        declared_table("nope")


def test_the_sql_file_is_ready_to_commit() -> None:
    text = revision_sql("roads")
    assert text.startswith("-- The layer table infrastructure.roads")
    assert "catalog.track_changes('infrastructure.roads'::regclass)" in text
