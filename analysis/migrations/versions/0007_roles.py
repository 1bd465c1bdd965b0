"""Least privilege: the reader and analyst group roles, their grants, and pygeoapi's jobs table.

Revision ID: 0007_roles
Revises: 0006_data_versions
Create Date: 2026-12-01

Frozen: the SQL (``analysis/migrations/sql/roles.sql``) names its schemas and tables literally.

* ``dothi_reader`` (NOLOGIN): USAGE on the published schemas (land, infrastructure, environment,
  analysis, catalog), SELECT on their tables, and SELECT on the tables the migrating role creates
  there later (default privileges).  The API's read paths log in as a member of it.
* ``dothi_analyst`` (NOLOGIN): the reader's rights plus SELECT/INSERT/UPDATE/DELETE on
  ``public.jobs`` (pygeoapi's job table, created here) — it writes nothing published.
* ``catalog.bump_data_version()`` runs with its owner's rights, so a change by any role allowed to
  write a published table still bumps ``catalog.data_versions``; ``catalog.track_changes`` is the
  owner's only.

The group roles are cluster-wide: created when missing, never dropped by the downgrade (other
databases and the login roles may use them); the downgrade removes this database's grants.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql

revision = "0007_roles"
down_revision = "0006_data_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(load_sql("analysis.migrations", "roles"))


def downgrade() -> None:
    op.execute(load_sql("analysis.migrations", "roles_down"))
