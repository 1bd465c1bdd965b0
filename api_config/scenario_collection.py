"""The ``scenario-results`` collection: published scenarios' evaluated results, one collection.

One collection for every published scenario and indicator, filtered with the ``scenario`` and
``indicator_id`` query parameters (``/collections/scenario-results/items?scenario=phase1&indicator_id=
education_access``; ``area=`` or a CQL2 filter on ``area`` for one study area's scenarios) — a
``scenario`` parameter rather than a collection per scenario, so publishing
a scenario needs no new API configuration.  It reads the view ``scenario.published_results`` (the
reader role may read nothing else of the ``scenario`` schema).  Every row, the collection's
description and the process answer carry the scenario notice (and the synthetic one when an input
is generated) of :mod:`layers.notices`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from geoalchemy2 import Geometry
from psycopg2 import sql
from sqlalchemy.engine import Engine

from gis.sqlfiles import load_sql
from layers.catalog import LAYERS
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

COLLECTION_ID = "scenario-results"

TABLE = sa.Table(
    "published_results",
    sa.MetaData(),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("scenario", sa.Text),
    sa.Column("scenario_title_vi", sa.Text),
    sa.Column("scenario_title_en", sa.Text),
    sa.Column("indicator_id", sa.Text),
    sa.Column("level", sa.Text),
    sa.Column("unit_id", sa.Text),
    sa.Column("vintage", sa.Integer),
    sa.Column("name_vi", sa.Text),
    sa.Column("name_en", sa.Text),
    sa.Column("value_column", sa.Text),
    sa.Column("before", sa.Float),
    sa.Column("after", sa.Float),
    sa.Column("change", sa.Float),
    sa.Column("method", sa.Text),
    sa.Column("synthetic", sa.Boolean),
    sa.Column("notice_vi", sa.Text),
    sa.Column("notice_en", sa.Text),
    sa.Column("geom", Geometry("MULTIPOLYGON", srid=4326)),
    sa.Column("area", sa.Text),
    schema="scenario",
)

TITLES: dict[str, tuple[str, str, str | None]] = {
    "id": ("Mã", "Id (scenario:indicator:level:unit)", None),
    "scenario": ("Kịch bản", "Scenario", None),
    "scenario_title_vi": ("Tên kịch bản (tiếng Việt)", "Scenario title (Vietnamese)", None),
    "scenario_title_en": ("Tên kịch bản (tiếng Anh)", "Scenario title (English)", None),
    "indicator_id": ("Chỉ số", "Indicator", None),
    "level": ("Cấp", "Level", None),
    "unit_id": ("Mã đơn vị", "Unit id", None),
    "vintage": ("Năm ranh giới", "Boundary vintage", None),
    "name_vi": ("Tên (tiếng Việt)", "Name (Vietnamese)", None),
    "name_en": ("Tên (tiếng Anh)", "Name (English)", None),
    "value_column": ("Cột giá trị", "Value column", None),
    "before": ("Hiện trạng", "Before (baseline)", None),
    "after": ("Kịch bản", "After (scenario)", None),
    "change": ("Thay đổi", "Change", None),
    "method": ("Cách tính", "Method (incremental / full)", None),
    "synthetic": ("Từ dữ liệu tổng hợp", "From synthetic data", None),
    "notice_vi": ("Lưu ý", "Notice (Vietnamese)", None),
    "notice_en": ("Lưu ý (tiếng Anh)", "Notice (English)", None),
    "area": ("Vùng nghiên cứu", "Study area", None),
}


def entry() -> dict[str, Any]:
    """Keyword arguments of the collection's :class:`api_config.config.Published`."""
    return {
        "id": COLLECTION_ID,
        "kind": "scenario",
        "schema": "scenario",
        "table": "published_results",
        "id_field": "id",
        "title": {"vi": "Kết quả kịch bản quy hoạch", "en": "Planning scenario results"},
        "description": {
            "vi": f"{SCENARIO_RESULT['vi']}. Các đơn vị có chỉ số thay đổi trong các kịch bản đã công bố "
            f"(trước, sau, thay đổi); lọc bằng ?scenario=…&indicator_id=…&area=…. "
            f"{SYNTHETIC_RESULT['vi']} khi synthetic = true.",
            "en": f"{SCENARIO_RESULT['en']}. The units whose indicator value changes in the published "
            f"scenarios (before, after, change); filter with ?scenario=…&indicator_id=…&area=…. "
            f"{SYNTHETIC_RESULT['en']} where synthetic = true.",
        },
        "keywords": {"vi": ["kịch bản", "quy hoạch"], "en": ["scenario", "planning"]},
        "licence": "Derived from the input layers; see their licences",
        "attribution": "dothi scenarios",
        "title_field": "name_vi",
    }


def extent_when_empty(engine: Engine, item_id: str) -> tuple[int, list[float]] | None:
    """``(0, the city's bbox)`` for this collection while no scenario is published (None otherwise).

    Published even when empty, so that a scenario published on a running server (the process's
    ``publish: true``, ``dothi scenario publish``) is readable at once, by the web map's scenario
    panel too, without regenerating the API configuration."""
    if item_id != COLLECTION_ID:
        return None
    spec = LAYERS["admin_units"]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(
            "SELECT to_regclass('scenario.published_results'), to_regclass(%(t)s)", {"t": spec.qualified_name}
        )
        if None in cur.fetchone():
            return None
        cur.execute(
            sql.SQL(load_sql("api_config.lookup", "city_extent")).format(
                admin=sql.Identifier(spec.schema, spec.table)
            )
        )
        row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return 0, [round(float(v), 6) for v in row]
