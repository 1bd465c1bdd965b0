"""Scenarios: the ``scenario`` schema (scenarios, their edits, their evaluated results).

Revision ID: 0013_scenarios
Revises: 0008_auth
Create Date: 2026-12-02

Frozen: the SQL (``analysis/migrations/sql/scenarios.sql``) describes the schema as it is at this
revision and imports nothing from the catalog.

* ``scenario.scenarios``: name (unique), titles and descriptions vi/en, author, times, parent
  scenario (phase 2 on phase 1), the baseline data versions it was drawn on, published flag.
* ``scenario.edits``: add / change / remove one feature of a layer (geometry in EPSG:4326,
  attributes as JSON); never applied to the baseline tables.
* ``scenario.results``: the evaluated changes (before, after, change per unit); the view
  ``scenario.published_results`` is what the reader role (anonymous API users) may read.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql

revision = "0013_scenarios"
down_revision = "0010_population_census"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(load_sql("analysis.migrations", "scenarios"))


def downgrade() -> None:
    op.execute("DROP SCHEMA scenario CASCADE")
