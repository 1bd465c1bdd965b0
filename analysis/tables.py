"""Results tables in the ``analysis`` schema, generated from the indicator registry."""

from __future__ import annotations

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from analysis.registry import IndicatorSpec
from gis.columns import SQL_TYPES
from gis.crs import STORAGE_SRID
from layers.catalog.types import DEFAULT_AREA

SCHEMA = "analysis"

#: Columns every results table starts with.
KEY_COLUMNS = ("result_id", "run_id", "level", "unit_id", "vintage", "name_vi", "name_en")
#: Columns every results table ends with (before ``geom``): which inputs were generated data.
PROVENANCE_COLUMNS = ("synthetic", "synthetic_inputs")


def provenance_columns() -> list[sa.Column[object]]:
    """``synthetic`` and ``synthetic_inputs`` (NULL: computed before they were recorded)."""
    return [
        sa.Column(
            "synthetic",
            sa.Boolean,
            comment="Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp",
        ),
        sa.Column(
            "synthetic_inputs",
            ARRAY(sa.Text),
            comment="Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp",
        ),
    ]


def area_column(*, primary_key: bool = False) -> sa.Column[object]:
    """``area``: the study area a row belongs to (catalog.study_areas)."""
    return sa.Column(
        "area",
        sa.Text,
        primary_key=primary_key,
        nullable=False,
        server_default=sa.text(f"'{DEFAULT_AREA}'"),
        comment="Study area / Vùng nghiên cứu",
    )


def result_table(spec: IndicatorSpec, metadata: sa.MetaData | None = None) -> sa.Table:
    """The table holding an indicator's current results (one row per reporting unit)."""
    metadata = metadata if metadata is not None else sa.MetaData()
    columns = [
        sa.Column(
            c.name,
            SQL_TYPES[c.type](),
            comment=f"{c.title_en} / {c.title_vi}" + (f" [{c.unit}]" if c.unit else ""),
        )
        for c in spec.result_columns
    ]
    return sa.Table(
        spec.table,
        metadata,
        sa.Column("result_id", sa.Text, primary_key=True, comment="<level>:<unit_id>"),
        area_column(primary_key=True),
        sa.Column("run_id", sa.BigInteger, nullable=False, comment="analysis.indicator_runs"),
        sa.Column("level", sa.Text, nullable=False, comment="city, ward or grid"),
        sa.Column("unit_id", sa.Text, nullable=False),
        sa.Column("vintage", sa.Integer),
        sa.Column("name_vi", sa.Text),
        sa.Column("name_en", sa.Text),
        *columns,
        *provenance_columns(),
        sa.Column("geom", Geometry("MULTIPOLYGON", srid=STORAGE_SRID, spatial_index=True), nullable=False),
        schema=SCHEMA,
        comment=f"{spec.title_en} / {spec.title_vi} [{spec.unit}]",
    )


def runs_table(metadata: sa.MetaData | None = None) -> sa.Table:
    """Provenance of every indicator run."""
    metadata = metadata if metadata is not None else sa.MetaData()
    return sa.Table(
        "indicator_runs",
        metadata,
        sa.Column("run_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("indicator_id", sa.Text, nullable=False),
        sa.Column("parameters", JSONB, nullable=False),
        sa.Column(
            "inputs",
            JSONB,
            nullable=False,
            comment="input layer -> {load_id, layer_version} of the data used",
        ),
        sa.Column(
            "fingerprint",
            sa.Text,
            nullable=False,
            comment="sha256 of indicator, parameters, inputs and code version",
        ),
        sa.Column("analysis_crs", sa.Text, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("run_by", sa.Text, nullable=False, server_default=sa.text("current_user")),
        sa.Column("dothi_version", sa.Text, nullable=False),
        *provenance_columns(),
        sa.Column(
            "execution",
            JSONB,
            comment="Dask execution: scheduler, partitions, tiles, overlap (NULL: one process)",
        ),
        area_column(),
        schema=SCHEMA,
        comment="One row per indicator run: parameters, input versions, code version.",
    )
