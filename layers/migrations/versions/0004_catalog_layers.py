"""Tables of every catalog layer of release v0.1.0 besides admin_units, and the raster catalog.

Revision ID: 0004_catalog_layers
Revises: 0003_analysis_results
Create Date: 2026-11-27

Frozen: the tables are written out in ``layers/migrations/sql/catalog_layers.sql`` (generated once
from the catalog of release v0.1.0); this revision never reads the live catalog.  A layer added to
the catalog later gets its own revision (docs/architecture.md, "Where things go").
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0004_catalog_layers"
down_revision = "0003_analysis_results"
branch_labels = None
depends_on = None

#: (schema, table) created by this revision, in creation order.
TABLES = (
    ("land", "land_use"),
    ("land", "parcels"),
    ("land", "buildings"),
    ("infrastructure", "roads"),
    ("infrastructure", "transit_stops"),
    ("infrastructure", "schools"),
    ("infrastructure", "health_facilities"),
    ("infrastructure", "markets"),
    ("infrastructure", "public_facilities"),
    ("infrastructure", "utilities"),
    ("environment", "water_bodies"),
    ("environment", "green_spaces"),
    ("environment", "flood_zones"),
    ("catalog", "rasters"),
)


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("layers.migrations", "catalog_layers"))


def downgrade() -> None:
    for schema, table in reversed(TABLES):
        op.drop_table(table, schema=schema)
