"""``dothi db ddl``: the SQL of a new revision is what the declaration means, and it suffices."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from analysis.ddl import declared_table, revision_sql, table_statements
from analysis.registry import INDICATORS
from analysis.schema_check import check_schema
from analysis.tables import PROVENANCE_COLUMNS
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


PROVENANCE_SQL = (ROOT / "analysis/migrations/sql/result_provenance.sql").read_text(encoding="utf-8")


def _before_0009(table: sa.Table) -> sa.Table:
    """A results table as v0.1.0 declared it: without the columns revision 0009 adds."""
    if table.schema != "analysis":
        return table
    old = sa.Table(
        table.name,
        sa.MetaData(),
        *(c._copy() for c in table.columns if c.name not in PROVENANCE_COLUMNS),
        schema=table.schema,
        comment=table.comment,
    )
    sa.Index(f"{table.name}_level_idx", old.c.level)
    return old


@pytest.mark.parametrize("name", [*LAYERS, *INDICATORS])
def test_the_generated_statements_are_those_of_the_frozen_revisions(name: str) -> None:
    """Today's catalog equals v0.1.0's plus the provenance columns of 0009, so each statement must be
    in the frozen files verbatim, and 0009 adds the provenance columns to every results table."""
    if name in INDICATORS:
        assert f"ALTER TABLE analysis.{name}\n    ADD COLUMN synthetic boolean," in PROVENANCE_SQL
    statements = table_statements(_before_0009(declared_table(name)))
    assert statements[0].startswith("CREATE TABLE")
    missing = [s for s in statements if s not in FROZEN]
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
