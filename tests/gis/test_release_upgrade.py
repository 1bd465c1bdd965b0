"""A database created by release v0.1.0, with data, upgraded to today's heads: nothing lost.

``tests/data/release-0.1.0.dump`` was made once by v0.1.0's own code
(``tests/data/make_release_fixture.sh``): the real Mỹ Tho admin units and the density indicator.
Old code is never run here.  The comparison is of data only (the columns each table had at
v0.1.0), so later revisions may add tables, columns, roles or grants.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from analysis.schema_check import check_schema
from gis import migrate, pgtools
from gis.engine import create_engine
from tests.conftest import VERSION_DIRS
from tests.gis.fingerprints import table_columns, table_fingerprints

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "release-0.1.0.dump"
RELEASE_HEADS = {"0006_data_versions"}


def _restore_fixture(url: URL) -> None:
    pgtools.run(
        [
            pgtools.client("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={url.database}",
            str(FIXTURE),
        ],
        url,
        what="restoring the v0.1.0 fixture",
    )


def test_a_release_database_upgrades_to_heads_without_losing_data(scratch_url: URL) -> None:
    _restore_fixture(scratch_url)
    engine = create_engine(scratch_url)
    try:
        assert migrate.current_revisions(engine) == RELEASE_HEADS
        old_columns = table_columns(scratch_url)
        before = table_fingerprints(scratch_url, old_columns)
        assert before["land.admin_units"][0] == 22
        assert before["analysis.population_density"][0] > 0
        assert before["catalog.load_provenance"][0] > 0 and before["analysis.indicator_runs"][0] > 0

        migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)

        assert migrate.current_revisions(engine) == migrate.head_revisions(VERSION_DIRS)
        after = table_fingerprints(scratch_url, old_columns)
        assert set(after) == set(before), "a table of v0.1.0 disappeared"
        #: Bookkeeping that an upgrade may legitimately move on: the revision, and the change
        #: counters (a revision that backfills data bumps its table's version; no row may vanish).
        moving = {"public.alembic_version", "catalog.data_versions"}
        changed = {t for t in before if t not in moving and after[t] != before[t]}
        assert after["catalog.data_versions"][0] >= before["catalog.data_versions"][0]
        assert not changed, f"data changed by the upgrade: {sorted(changed)}"
        assert check_schema(engine) == []
    finally:
        engine.dispose()
