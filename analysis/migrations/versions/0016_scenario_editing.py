"""Scenario editing from QGIS: editable views per layer, all scenarios' results, the planner role.

Revision ID: 0016_scenario_editing
Revises: 0013_scenarios
Create Date: 2026-12-02

Frozen: ``analysis/migrations/sql/scenario_editing.sql`` writes out the layers and attributes of
this revision (nothing is read from the live catalog).

* ``scenario.edit_<layer>`` (schools, health_facilities, markets, transit_stops, green_spaces,
  land_use): one row per edit of that layer, attributes as typed columns; an ``INSTEAD OF``
  trigger (``scenario.write_edit_view``, owner's rights) writes inserts, updates and deletes into
  ``scenario.edits``.  The full validation stays where it was: at evaluation.
* ``scenario.scenario_results``: the evaluated results of every scenario (not only published).
* ``dothi_planner`` (cluster-wide NOLOGIN group, member of ``dothi_reader``): may read the layers,
  scenarios and their results and write edits through the views — nothing else.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0016_scenario_editing"
down_revision = "0013_scenarios"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "scenario_editing"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "scenario_editing_down"))
