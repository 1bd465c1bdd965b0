"""Layer table land.admin_units.

Revision ID: 0002_land_admin_units
Revises: 0001_foundation
Create Date: 2026-11-27

Frozen: the table is written out in ``layers/migrations/sql/admin_units.sql`` (generated once from
the catalog of release v0.1.0); this revision never reads the live catalog, so it creates the same
table whatever the catalog says later.  A change to the layer is a new revision.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0002_land_admin_units"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("layers.migrations", "admin_units"))


def downgrade() -> None:
    op.drop_table("admin_units", schema="land")
