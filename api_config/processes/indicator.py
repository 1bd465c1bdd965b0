"""An indicator of :data:`analysis.registry.INDICATORS` as an OGC API process (thin adapter).

``execute`` resolves the inputs (the indicator's parameters with their defaults, plus an optional
``area_of_interest`` GeoJSON geometry in CRS84), computes the indicator with
:func:`analysis.runner.compute_indicator` — which writes nothing: a process run never replaces
the published results; publishing stays an operator's action (``dothi indicators run``) — and
returns the result rows as GeoJSON (those intersecting the area of interest when one is given)
with the run's metadata (parameters, input versions, fingerprint, ``run_by``: the caller's API key
or single-sign-on name) and a link to the published collection.  The job manager stores this
result with the job.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import shapely.errors
import shapely.geometry
from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from analysis.errors import IndicatorError
from analysis.registry import IndicatorSpec, Parameter, get_indicator
from analysis.runner import compute_indicator, published_run
from analysis.tables import KEY_COLUMNS
from analysis.units import unit_vi
from api_config.processes.area_input import AREA_INPUT, AREA_INPUT_METADATA, pop_area
from api_config.providers.db import engine_for
from api_config.security.identity import current
from layers.notices import SYNTHETIC_RESULT

AOI = "area_of_interest"
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
#: Result rows returned at most (a city's wards and grid cells fit easily).
MAX_FEATURES = 10_000
_SCHEMA_TYPES = {"integer": "integer", "number": "number", "text": "string", "boolean": "boolean"}


def _input(p: Parameter) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": _SCHEMA_TYPES[p.type]}
    if p.default is not None:
        schema["default"] = p.default
    if p.minimum is not None:
        schema["minimum"] = p.minimum
    if p.maximum is not None:
        schema["maximum"] = p.maximum
    return {
        "title": {"vi": p.name, "en": p.name},
        "description": {"vi": p.description_vi, "en": p.description_en},
        "schema": schema,
        "minOccurs": 0,
        "maxOccurs": 1,
    }


def process_metadata(spec: IndicatorSpec, collection_url: str | None = None) -> dict[str, Any]:
    """OGC API – Processes description of an indicator."""
    inputs = {p.name: _input(p) for p in spec.parameters}
    inputs[AOI] = {
        "title": {"vi": "Vùng quan tâm", "en": "Area of interest"},
        "description": {
            "vi": "Hình học GeoJSON (CRS84); chỉ trả về các kết quả giao với vùng này.",
            "en": "GeoJSON geometry (CRS84); only results intersecting it are returned.",
        },
        "schema": {"type": "object", "contentMediaType": "application/geo+json"},
        "minOccurs": 0,
        "maxOccurs": 1,
    }
    inputs[AREA_INPUT] = AREA_INPUT_METADATA
    links = []
    if collection_url:
        links.append(
            {
                "type": "application/json",
                "rel": "related",
                "title": "Result collection",
                "href": collection_url,
            }
        )
    return {
        "version": "1.0.0",
        "id": spec.id,
        "title": {"vi": f"Chỉ số: {spec.title_vi}", "en": f"Indicator: {spec.title_en}"},
        "description": {"vi": spec.description_vi, "en": spec.description_en},
        "jobControlOptions": ["sync-execute", "async-execute"],
        "outputTransmission": ["value"],
        "keywords": ["indicator", spec.theme, *spec.keywords_en],
        "links": links,
        "inputs": inputs,
        "outputs": {
            "result": {
                "title": {"vi": "Kết quả", "en": "Result"},
                "description": {"vi": f"Đơn vị: {unit_vi(spec.unit)}", "en": f"Unit: {spec.unit}"},
                "schema": {"type": "object", "contentMediaType": "application/geo+json"},
            }
        },
        "example": {"inputs": {p.name: p.default for p in spec.parameters if p.default is not None}},
    }


class IndicatorProcessor(BaseProcessor):
    """Configured per indicator: ``processor: {name: <this class>, indicator: <id>, data: {…}}``."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        self.spec = get_indicator(processor_def["indicator"])
        self.collection_url = processor_def.get("collection_url")
        metadata = process_metadata(self.spec, self.collection_url)
        metadata["id"] = processor_def.get("process_id", self.spec.id)
        super().__init__(processor_def, metadata)
        self.data = processor_def["data"]
        self.options = processor_def.get("options") or {}
        # the folder raster paths in catalog.rasters are relative to (rasters as indicator inputs)
        self.data_dir = Path(processor_def["data_dir"]) if processor_def.get("data_dir") else None

    def execute(self, data: dict[str, Any], outputs: dict[str, Any] | None = None) -> tuple[str, Any]:
        data = dict(data or {})
        aoi = data.pop(AOI, None)
        area = None if aoi is None else _geometry(aoi)
        engine = engine_for(self.data, self.options)
        study_area = pop_area(engine, data)
        who = current()
        try:
            computed = compute_indicator(
                engine,
                self.spec,
                params=data,
                data_dir=self.data_dir,
                run_by=who.name if who else None,
                area=study_area,
            )
        except IndicatorError as exc:
            raise ProcessorExecuteError(str(exc), user_msg=str(exc)) from exc
        result = _feature_collection(self.spec, computed.rows, area)
        result["run"] = {
            **computed.metadata(),
            "published": False,
            "published_run_id": published_run(engine, self.spec, computed.fingerprint, area=study_area),
        }
        if computed.synthetic_inputs:
            result["notice"] = dict(SYNTHETIC_RESULT)
        if self.collection_url:
            result["links"] = [
                {"rel": "collection", "type": "application/json", "href": self.collection_url},
                {"rel": "items", "type": "application/geo+json", "href": f"{self.collection_url}/items"},
            ]
        return "application/geo+json", result

    def __repr__(self) -> str:
        return f"<IndicatorProcessor> {self.spec.id}"


def _geometry(aoi: Any) -> Any:
    """The area of interest as a shapely geometry (CRS84), or a 400 naming the input."""
    message = (
        f"Input {AOI!r} must be a GeoJSON geometry object (type one of "
        f"{', '.join(sorted(GEOMETRY_TYPES))}, with coordinates in CRS84)."
    )
    if not isinstance(aoi, dict) or aoi.get("type") not in GEOMETRY_TYPES or "coordinates" not in aoi:
        raise ProcessorExecuteError(message, user_msg=message)
    try:
        return shapely.make_valid(shapely.geometry.shape(aoi))  # a self-touching ring is no 500
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise ProcessorExecuteError(f"{message} ({exc})", user_msg=f"{message} ({exc})") from exc


def _feature_collection(spec: IndicatorSpec, rows: gpd.GeoDataFrame, area: Any) -> dict[str, Any]:
    """The computed rows as GeoJSON (ids ``<level>:<unit_id>`` as in the published collection),
    those intersecting ``area`` when given, at most :data:`MAX_FEATURES`."""
    if area is not None:
        rows = rows[rows.intersects(area)]
    columns = [c for c in KEY_COLUMNS if c not in ("result_id", "run_id")]
    columns += [c.name for c in spec.result_columns]
    frame = rows[[*columns, rows.geometry.name]].set_index(rows["level"] + ":" + rows["unit_id"])
    for column in spec.result_columns:  # the published precision, as in the level collections
        if column.type == "real":
            frame[column.name] = frame[column.name].round(spec.digits(column.name))
    collection = json.loads(frame.iloc[:MAX_FEATURES].to_json(na="null", drop_id=False))
    return {
        "type": "FeatureCollection",
        "features": collection["features"],
        "numberMatched": len(rows),
        "numberReturned": len(collection["features"]),
    }
