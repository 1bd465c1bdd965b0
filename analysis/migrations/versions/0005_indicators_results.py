"""Results tables of the first indicator catalogue (every registered indicator but density).

Revision ID: 0005_indicators_results
Revises: 0004_catalog_layers
Create Date: 2026-11-27

The tables are generated from the registry as it stands in this revision's module list; an
indicator added later gets its own revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.registry import (
    BUILDING_FORM,
    EDUCATION_ACCESS,
    FLOOD_EXPOSURE,
    GREEN_AREA,
    HEALTH_ACCESS,
    HEALTH_BEDS,
    LAND_USE_MIX,
    OPEN_SPACE_ACCESS,
    OPEN_SPACE_SHARE,
    SDG_11_3_1,
    STREET_NETWORK,
    TRANSIT_ACCESS,
    WALKABILITY,
)
from analysis.tables import SCHEMA, result_table

revision = "0005_indicators_results"
down_revision = "0004_catalog_layers"
branch_labels = None
depends_on = None

INDICATORS = (
    SDG_11_3_1,
    TRANSIT_ACCESS,
    HEALTH_ACCESS,
    HEALTH_BEDS,
    EDUCATION_ACCESS,
    OPEN_SPACE_SHARE,
    OPEN_SPACE_ACCESS,
    GREEN_AREA,
    STREET_NETWORK,
    BUILDING_FORM,
    LAND_USE_MIX,
    FLOOD_EXPOSURE,
    WALKABILITY,
)


def upgrade() -> None:
    metadata = sa.MetaData()
    for spec in INDICATORS:
        result_table(spec, metadata).create(op.get_bind())
        op.create_index(f"{spec.table}_level_idx", spec.table, ["level"], schema=SCHEMA)


def downgrade() -> None:
    for spec in INDICATORS:
        op.drop_table(spec.table, schema=SCHEMA, if_exists=True)
