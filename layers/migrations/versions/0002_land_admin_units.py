"""Layer table land.admin_units, generated from the layer catalog.

Revision ID: 0002_land_admin_units
Revises: 0001_foundation
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.catalog import ADMIN_UNITS
from layers.tables import table_for

revision = "0002_land_admin_units"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = table_for(ADMIN_UNITS, sa.MetaData())
    table.create(op.get_bind())
    op.create_index("admin_units_vintage_idx", ADMIN_UNITS.table, ["vintage"], schema=ADMIN_UNITS.schema)


def downgrade() -> None:
    op.drop_table(ADMIN_UNITS.table, schema=ADMIN_UNITS.schema)
