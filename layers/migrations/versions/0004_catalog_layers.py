"""Tables of every catalog layer besides admin_units, and the raster catalog.

Revision ID: 0004_catalog_layers
Revises: 0003_analysis_results
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from layers.catalog import LAYERS
from layers.tables import table_for

revision = "0004_catalog_layers"
down_revision = "0003_analysis_results"
branch_labels = None
depends_on = None

NEW_LAYERS = [spec for name, spec in LAYERS.items() if name != "admin_units"]


def upgrade() -> None:
    metadata = sa.MetaData()
    for spec in NEW_LAYERS:
        table_for(spec, metadata).create(op.get_bind())
    op.create_table(
        "rasters",
        sa.Column("raster_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("layer", sa.Text, nullable=False, comment="qualified raster layer name"),
        sa.Column("year", sa.Integer, comment="for time series (built_up, land_cover)"),
        sa.Column("path", sa.Text, nullable=False, comment="COG path relative to the data folder"),
        sa.Column("crs", sa.Text, nullable=False),
        sa.Column("resolution_m", sa.Float, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column(
            "bbox", postgresql.ARRAY(sa.Float), nullable=False, comment="minx, miny, maxx, maxy in CRS84"
        ),
        sa.Column("checksum", sa.Text, nullable=False, comment="sha256 of the COG"),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("source", sa.Text),
        sa.Column("load_id", sa.BigInteger, nullable=False),
        sa.UniqueConstraint(
            "layer", "year", name="rasters_layer_year_key", postgresql_nulls_not_distinct=True
        ),
        schema="catalog",
        comment="Raster layers stored as Cloud-Optimized GeoTIFFs in the data folder.",
    )


def downgrade() -> None:
    op.drop_table("rasters", schema="catalog")
    for spec in reversed(NEW_LAYERS):
        op.drop_table(spec.table, schema=spec.schema)
