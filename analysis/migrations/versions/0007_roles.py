"""STUB of the database roles revision (replaced by the real ``0007_roles`` on merge).

Revision ID: 0007_roles
Revises: 0006_data_versions
Create Date: 2026-12-01

Creates only the two NOLOGIN group roles that ``0008_auth`` grants to, when they are missing:
``dothi_reader`` (the API's read paths) and ``dothi_analyst`` (jobs).
"""

from __future__ import annotations

from alembic import op

revision = "0007_roles"
down_revision = "0006_data_versions"
branch_labels = None
depends_on = None

UPGRADE = """
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dothi_reader') THEN
        CREATE ROLE dothi_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dothi_analyst') THEN
        CREATE ROLE dothi_analyst NOLOGIN;
    END IF;
END
$roles$
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    """Roles are cluster-wide and may serve other databases: left in place."""
