"""Results tables of the first indicator catalogue (every indicator of release v0.1.0 but density).

Revision ID: 0005_indicators_results
Revises: 0004_catalog_layers
Create Date: 2026-11-27

Frozen: the tables are written out in ``analysis/migrations/sql/indicators_results.sql`` (generated
once from the registry of release v0.1.0); this revision never reads the live registry.  An
indicator added later gets its own revision (docs/architecture.md, "Where things go").
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0005_indicators_results"
down_revision = "0004_catalog_layers"
branch_labels = None
depends_on = None

#: Results tables (schema ``analysis``) created by this revision.
TABLES = (
    "sdg_11_3_1",
    "transit_access",
    "health_access",
    "health_beds_2sfca",
    "education_access",
    "open_space_share",
    "open_space_access",
    "green_area",
    "street_network",
    "building_form",
    "land_use_mix",
    "flood_exposure",
    "walkability",
)


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "indicators_results"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table, schema="analysis", if_exists=True)
