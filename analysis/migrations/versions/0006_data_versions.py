"""Change tracking of the published tables: ``catalog.data_versions``.

Revision ID: 0006_data_versions
Revises: 0005_indicators_results
Create Date: 2026-11-27

Every published table (each table with a geometry column in the land, infrastructure, environment
and analysis schemas) gets a statement-level trigger that increments its row in
``catalog.data_versions`` on INSERT, UPDATE, DELETE and TRUNCATE — in the same transaction as the
change, whoever makes it (dothi's loaders, the indicator runner, a planner editing in QGIS).  Caches
(the API's vector tiles) key their entries by this version.  A table added by a later revision calls
``catalog.track_changes('schema.table')``.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql

revision = "0006_data_versions"
down_revision = "0005_indicators_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(load_sql("analysis.migrations", "data_versions"))


def downgrade() -> None:
    op.execute(load_sql("analysis.migrations", "data_versions_down"))
