"""What a published table looks like, derived from the layer catalog and the indicator registry.

The provider never asks the database which columns exist: fields, types, titles (Vietnamese and
English) and the time dimension all come from the one declaration of the layer or indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Literal

import sqlalchemy as sa

from analysis.levels import parse_collection_id
from analysis.registry import get_indicator
from analysis.tables import result_table
from api_config.scenario_collection import TABLE as SCENARIO_TABLE
from api_config.scenario_collection import TITLES as SCENARIO_TITLES
from layers.catalog import COMMON_COLUMNS, get_layer
from layers.tables import table_for

Kind = Literal["layer", "indicator", "scenario"]

#: Integer columns holding a year, used as the collection's time dimension (``datetime``).
TIME_COLUMN = "vintage"


Titles = dict[str, tuple[str, str, str | None]]


@dataclass(frozen=True)
class Field:
    """One published attribute."""

    name: str
    type: str  # JSON Schema type
    title_vi: str
    title_en: str
    format: str | None = None
    unit: str | None = None
    enum: tuple[str | int, ...] | None = None


@dataclass(frozen=True)
class TableInfo:
    """A published table: where it is, its identifier, its fields and its time dimension."""

    schema: str
    table: str
    id_field: str
    geometry_type: str
    fields: dict[str, Field]
    time_field: str | None
    base_table: str | None = None
    """``schema.table`` whose change version keys the tile cache (a view's base table)."""
    level_order: bool = False
    """Order items wards first (newest vintage first), then the city, then grid cells."""
    digits: Mapping[str, int] = field(default_factory=dict)
    """Decimal places each real column is published with (indicators: the registry's precision)."""

    @property
    def version_table(self) -> str:
        return self.base_table or f"{self.schema}.{self.table}"


def _field(column: sa.Column[object], titles: Titles) -> Field:
    json_type, fmt = "string", None
    if isinstance(column.type, sa.BigInteger | sa.Integer):
        json_type = "integer"
    elif isinstance(column.type, sa.Float):
        json_type = "number"
    elif isinstance(column.type, sa.Boolean):
        json_type = "boolean"
    elif isinstance(column.type, sa.ARRAY):
        json_type = "array"
    elif isinstance(column.type, sa.Date):
        json_type, fmt = "string", "date"
    vi, en, unit = titles.get(column.name, (column.name, column.name, None))
    return Field(str(column.name), json_type, vi, en, fmt, unit)


def _info(table: sa.Table, id_field: str, geometry_type: str, titles: Titles) -> TableInfo:
    fields = {str(c.name): _field(c, titles) for c in table.columns if c.name != "geom"}
    time_field = TIME_COLUMN if TIME_COLUMN in fields and fields[TIME_COLUMN].type == "integer" else None
    return TableInfo(str(table.schema), str(table.name), id_field, geometry_type, fields, time_field)


@cache
def describe(kind: Kind, name: str) -> TableInfo:
    """The published shape of layer or indicator ``name``."""
    if kind == "scenario":
        return _info(SCENARIO_TABLE, "id", "MultiPolygon", SCENARIO_TITLES)
    if kind == "layer":
        spec = get_layer(name)
        titles = {a.name: (a.title_vi, a.title_en, a.unit) for a in (*spec.attributes, *COMMON_COLUMNS)}
        info = _info(table_for(spec), spec.id_field, spec.geometry, titles)
        enums = {a.name: a.allowed for a in spec.attributes if a.allowed}
        return _with_enums(info, enums)
    view = parse_collection_id(name)
    if view is not None:
        combined = describe(kind, view.spec.id)
        return replace(
            combined,
            table=view.view,
            base_table=f"{combined.schema}.{combined.table}",
            level_order=view.level == "city",
        )
    ind = get_indicator(name)
    titles = {c.name: (c.title_vi, c.title_en, c.unit) for c in ind.result_columns}
    titles |= {
        "result_id": ("Mã kết quả", "Result id", None),
        "run_id": ("Mã lần tính", "Run id (analysis.indicator_runs)", None),
        "level": ("Cấp", "Level", None),
        "unit_id": ("Mã đơn vị", "Unit id", None),
        "vintage": ("Năm ranh giới", "Boundary vintage", None),
        "name_vi": ("Tên (tiếng Việt)", "Name (Vietnamese)", None),
        "name_en": ("Tên (tiếng Anh)", "Name (English)", None),
        "synthetic": ("Tính từ dữ liệu tổng hợp", "Computed from synthetic data", None),
        "synthetic_inputs": ("Lớp đầu vào tổng hợp", "Synthetic input layers", None),
    }
    info = _info(result_table(ind), "result_id", "MultiPolygon", titles)
    digits = {c.name: ind.digits(c.name) for c in ind.result_columns if c.type == "real"}
    return replace(_with_enums(info, {"level": ind.levels}), level_order=True, digits=digits)


def _with_enums(info: TableInfo, enums: Mapping[str, tuple[str | int, ...] | None]) -> TableInfo:
    fields = {
        name: Field(f.name, f.type, f.title_vi, f.title_en, f.format, f.unit, enums.get(name))
        for name, f in info.fields.items()
    }
    return replace(info, fields=fields)
