"""Study areas: several cities, districts or a province side by side in one database.

Revision ID: 0014_study_areas
Revises: 0013_scenarios
Create Date: 2026-12-02

Frozen: the SQL (``analysis/migrations/sql/study_areas.sql``) describes the schema as it is at this
revision and imports nothing from the catalog.

* ``catalog.study_areas``: code (``mytho``, ``tien_giang``), names vi/en, outline, source, licence;
  ``mytho`` is seeded (its outline from the 2019 wards when they are loaded).
* ``area text NOT NULL DEFAULT 'mytho'`` (indexed) on every layer table, every results table,
  ``analysis.indicator_runs``, ``catalog.load_provenance`` and ``catalog.rasters``: the rows of
  before are Mỹ Tho's, and every command without ``--area`` keeps working unchanged.
* Results are keyed per ``(area, result_id)``; a raster file per ``(area, layer, year)``.  Feature
  ids stay unique per layer table (they are the API's item ids): loaders of another area prefix them.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0014_study_areas"
down_revision = "0018_run_execution"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "study_areas"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "study_areas_down"))
