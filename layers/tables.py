"""PostGIS tables generated from the layer catalog."""

from __future__ import annotations

import sqlalchemy as sa
from geoalchemy2 import Geometry

from gis.columns import SQL_TYPES
from gis.crs import STORAGE_SRID
from layers.catalog import COMMON_COLUMNS, Attribute, LayerSpec
from layers.catalog.types import DEFAULT_AREA


def _column(attr: Attribute, *, primary_key: bool = False) -> sa.Column[object]:
    kwargs: dict[str, object] = {}
    if attr.name == "synthetic":
        kwargs["server_default"] = sa.false()
    if attr.name == "area":
        kwargs["server_default"] = sa.text(f"'{DEFAULT_AREA}'")
    return sa.Column(
        attr.name,
        SQL_TYPES[attr.type](),
        primary_key=primary_key,
        nullable=not (attr.required or primary_key),
        comment=f"{attr.title_en} / {attr.title_vi}" + (f" [{attr.unit}]" if attr.unit else ""),
        **kwargs,  # type: ignore[arg-type]
    )


def table_for(spec: LayerSpec, metadata: sa.MetaData | None = None) -> sa.Table:
    """The SQLAlchemy table of a layer: declared attributes, common columns and ``geom``."""
    metadata = metadata if metadata is not None else sa.MetaData()
    columns = [_column(a, primary_key=a.name == spec.id_field) for a in spec.attributes]
    columns += [_column(a) for a in COMMON_COLUMNS]
    checks = [
        sa.CheckConstraint(sa.column(a.name).in_(a.allowed), name=f"{spec.name}_{a.name}_allowed")
        for a in spec.attributes
        if a.allowed
    ]
    geom = sa.Column(
        "geom",
        Geometry(geometry_type=spec.geometry.upper(), srid=STORAGE_SRID, spatial_index=True),
        nullable=False,
    )
    table = sa.Table(
        spec.table,
        metadata,
        *columns,
        geom,
        *checks,
        schema=spec.schema,
        comment=f"{spec.title_en} / {spec.title_vi}",
    )
    sa.Index(f"{spec.table}_area_idx", table.c.area)
    return table
