"""Foundation: the five schemas and the load-provenance table.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None

SCHEMAS = ("land", "infrastructure", "environment", "analysis", "catalog")


def upgrade() -> None:
    for schema in SCHEMAS:
        op.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
    op.create_table(
        "load_provenance",
        sa.Column("load_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("layer", sa.Text, nullable=False, comment="qualified layer name, e.g. land.admin_units"),
        sa.Column("layer_version", sa.Integer, nullable=False, comment="1, 2, … per layer"),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("source_checksum", sa.Text, nullable=False, comment="sha256 of the source file(s)"),
        sa.Column("source_crs", sa.Text),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, comment="subset of the layer replaced, e.g. vintage=2019"),
        sa.Column("features_read", sa.Integer, nullable=False),
        sa.Column("features_written", sa.Integer, nullable=False),
        sa.Column("features_repaired", sa.Integer, nullable=False, server_default="0"),
        sa.Column("features_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("content_checksum", sa.Text, comment="checksum of what was written"),
        sa.Column("licence", sa.Text),
        sa.Column("attribution", sa.Text),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("details", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("loaded_by", sa.Text, nullable=False, server_default=sa.text("current_user")),
        sa.Column("dothi_version", sa.Text, nullable=False),
        sa.UniqueConstraint("layer", "layer_version"),
        schema="catalog",
        comment="One row per successful load of a layer: what was loaded, from where, by whom.",
    )
    op.create_index("load_provenance_layer_idx", "load_provenance", ["layer", "loaded_at"], schema="catalog")


def downgrade() -> None:
    op.drop_table("load_provenance", schema="catalog")
    for schema in reversed(SCHEMAS):
        op.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
