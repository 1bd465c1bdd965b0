"""Scenarios per study area: a scenario belongs to one area (``mytho`` for every scenario of before).

Revision ID: 0019_scenario_areas
Revises: 0014_study_areas
Create Date: 2026-12-02

Frozen: the SQL (``analysis/migrations/sql/scenario_areas.sql``) describes the schema as it is at
this revision and imports nothing from the catalog.

* ``scenario.scenarios.area text NOT NULL DEFAULT 'mytho'`` (references ``catalog.study_areas``,
  indexed): the area whose baseline layers the scenario edits and is evaluated against.  The
  stored results (``scenario.results``) are keyed through their scenario, so they need no column.
* ``area`` appended to the views ``scenario.published_results``, ``scenario.published_scenarios``
  and ``scenario.scenario_results`` (the ``scenario-results`` collection filters on it).
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0019_scenario_areas"
down_revision = "0014_study_areas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "scenario_areas"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "scenario_areas_down"))
