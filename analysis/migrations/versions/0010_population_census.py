"""The census time series ``land.population_census``; SDG 11.3.1 and land-use mix result columns.

Revision ID: 0010_population_census
Revises: 0008_auth
Create Date: 2026-12-02

Frozen: the layer table is written out in ``layers/migrations/sql/population_census.sql`` (from its
declaration, plus a CHECK that no count is negative); the new result columns of
``analysis.sdg_11_3_1`` (census years, start population, years paired, reason vi/en) and
``analysis.land_use_mix`` (land_use_status) in ``analysis/migrations/sql/population_census_results.sql``.
Nothing here reads the live catalog or registry.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0010_population_census"
down_revision = "0009_result_provenance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("layers.migrations", "population_census"))
    run_script(op.get_bind(), load_sql("analysis.migrations", "population_census_results"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "population_census_results_down"))
    op.drop_table("population_census", schema="land")
