"""Change versions per study area: ``catalog.area_data_versions`` and ``catalog.baseline_versions(area)``.

Revision ID: 0020_area_versions
Revises: 0019_scenario_areas
Create Date: 2026-12-02

Frozen: the SQL (``analysis/migrations/sql/area_versions.sql``) describes the schema as it is at
this revision and imports nothing from the catalog.

``catalog.data_versions`` counts the changes of a whole table (the API's tile cache keys by it).  A
scenario is drawn on one study area, so "the baseline changed since the scenario was drawn" must
count only that area's rows: loading a second area into the same tables never touches the first.

* ``catalog.area_data_versions (table_name, area, version)``: statement triggers with transition
  tables on every table with an ``area`` column bump the version of each area whose rows a
  statement inserted, updated or deleted (TRUNCATE: every area of the table);
* ``catalog.track_changes`` attaches them to later tables with an ``area`` column as well;
* ``catalog.baseline_versions(area)``: the versions a scenario of ``area`` is drawn on;
* existing scenarios: the area's version where their table did not change since they were drawn,
  ``-1`` (changed) where it did; the QGIS edit trigger records area versions.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0020_area_versions"
down_revision = "0019_scenario_areas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "area_versions"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "area_versions_down"))
