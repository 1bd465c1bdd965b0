"""Indicator runs table and the results table of the first indicator (population density).

Revision ID: 0003_analysis_results
Revises: 0002_land_admin_units
Create Date: 2026-11-27

Frozen: the tables are written out in ``analysis/migrations/sql/analysis_results.sql`` (generated
once from the registry of release v0.1.0); this revision never reads the live registry.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0003_analysis_results"
down_revision = "0002_land_admin_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "analysis_results"))


def downgrade() -> None:
    op.drop_table("population_density", schema="analysis")
    op.drop_table("indicator_runs", schema="analysis")
