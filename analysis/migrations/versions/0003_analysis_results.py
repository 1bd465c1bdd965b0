"""Indicator runs table and the results table of each registered indicator.

Revision ID: 0003_analysis_results
Revises: 0002_land_admin_units
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.registry import POPULATION_DENSITY
from analysis.tables import SCHEMA, result_table, runs_table

revision = "0003_analysis_results"
down_revision = "0002_land_admin_units"
branch_labels = None
depends_on = None

INDICATORS = (POPULATION_DENSITY,)


def upgrade() -> None:
    metadata = sa.MetaData()
    runs_table(metadata).create(op.get_bind())
    for spec in INDICATORS:
        result_table(spec, metadata).create(op.get_bind())


def downgrade() -> None:
    for spec in INDICATORS:
        op.drop_table(spec.table, schema=SCHEMA)
    op.drop_table("indicator_runs", schema=SCHEMA)
