"""The styles the OGC API serves (``/styles``, ``/collections/{id}/styles``), built when the API
configuration is generated and written next to it as ``styles.json`` (like the web map's
``map-meta.json``): class breaks need the data, and the web workers should not recompute them.

For every published collection: its :class:`~api_config.styling.model.StyleModel` written as a
MapLibre style, QML and SLD 1.1.  The dataset style ``default`` draws the layers visible when the
QGIS project opens, in the same order, with the population-density choropleth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from analysis.registry import INDICATORS, POPULATION_DENSITY, IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.qgis.store import table_exists, table_has_rows, ward_values
from api_config.qgis.styles import model_qml
from api_config.styling.breaks import Method
from api_config.styling.encode import mapbox_style, sld_style
from api_config.styling.model import StyleModel, indicator_model, layer_model
from layers.catalog import LAYERS

FILE_NAME = "styles.json"
TILES = "{api}/collections/{id}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
DEFAULT_STYLE = "default"
#: Per-level collections of an indicator (``<id>-ward-2025`` over the view ``<table>_ward_2025``).
WARD_VINTAGES = (2025, 2019)
#: Collections of the dataset style, bottom to top.
DATASET_LAYERS = (
    "admin_units",
    "green_spaces",
    "water_bodies",
    "roads",
    "markets",
    "health_facilities",
    "schools",
)


def _indicator_models(cur: Any, ind: IndicatorSpec, method: Method, classes: int) -> list[StyleModel]:
    if not table_has_rows(cur, ANALYSIS_SCHEMA, ind.table):
        return []
    values = ward_values(cur, ind.table, ind.value_column)
    if values is None:
        return []
    span = (values.low, values.high)
    models = [indicator_model(ind, values.newest, method=method, classes=classes, span=span)]
    for vintage in WARD_VINTAGES:  # the same classes for every view of the indicator
        if table_exists(cur, ANALYSIS_SCHEMA, f"{ind.table}_ward_{vintage}"):
            collection = f"{ind.id}-ward-{vintage}"
            models.append(
                indicator_model(
                    ind, values.newest, method=method, classes=classes, collection=collection, span=span
                )
            )
    return models


def collection_models(cur: Any, *, method: Method = "jenks", classes: int = 5) -> list[StyleModel]:
    """The style of every collection that holds data."""
    models = [layer_model(spec) for spec in LAYERS.values() if table_has_rows(cur, spec.schema, spec.table)]
    for ind in INDICATORS.values():
        models += _indicator_models(cur, ind, method, classes)
    return models


def encode(model: StyleModel, api_url: str) -> dict[str, Any]:
    tiles = TILES.format(api=api_url, id=model.id)
    return {
        "title_vi": model.title_vi,
        "title_en": model.title_en,
        "mapbox": mapbox_style(model, tiles=tiles, source_layer=model.id),
        "qml": model_qml(model),
        "sld": sld_style(model),
        "classification": (
            {"method": model.method, "attribute": model.attribute, "edges": model.edges, "unit": model.unit}
            if model.kind == "graduated"
            else None
        ),
    }


def dataset_style(collections: dict[str, Any]) -> dict[str, Any]:
    """One MapLibre style drawing the main layers and the population-density choropleth."""
    order = [c for c in DATASET_LAYERS if c in collections]
    if POPULATION_DENSITY.id in collections:
        order.insert(1, POPULATION_DENSITY.id)  # over the wards' fill, under everything else
    sources: dict[str, Any] = {}
    layers: list[dict[str, Any]] = []
    for cid in order:
        style = collections[cid]["mapbox"]
        sources |= style["sources"]
        layers += style["layers"]
    return {
        "version": 8,
        "name": "dothi — Mỹ Tho",
        "metadata": {"dothi:collections": order},
        "sources": sources,
        "layers": layers,
    }


def build_document(
    engine: Engine, api_url: str, *, method: Method = "jenks", classes: int = 5
) -> dict[str, Any]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        models = collection_models(cur, method=method, classes=classes)
    collections = {m.id: encode(m, api_url) for m in models}
    return {
        "api": api_url,
        "collections": collections,
        "dataset": {DEFAULT_STYLE: dataset_style(collections)},
    }


def write_document(engine: Engine, api_url: str, folder: Path) -> Path:
    """Write ``styles.json`` into the API folder (atomically)."""
    path = folder / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(build_document(engine, api_url), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def indicator_classes(
    cur: Any, ind: IndicatorSpec, *, method: Method = "jenks", classes: int = 5
) -> dict[str, Any] | None:
    """The classification of an indicator (for the web map's ``meta.json``): method, edges, colours."""
    values = (
        ward_values(cur, ind.table, ind.value_column)
        if table_exists(cur, ANALYSIS_SCHEMA, ind.table)
        else None
    )
    if values is None:
        return None
    model = indicator_model(
        ind, values.newest, method=method, classes=classes, span=(values.low, values.high)
    )
    return {
        "method": model.method,
        "edges": model.edges,
        "colours": [c.symbol.fill for c in model.classes],
        "style": f"/collections/{ind.id}/styles/{DEFAULT_STYLE}?f=mapbox",
    }
