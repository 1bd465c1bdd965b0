"""Corrections of pygeoapi 0.24's generated OpenAPI document, so that it describes the responses
the server really sends (checked by the schemathesis run in ``make test``,
tests/api_config/test_api_schemathesis.py).  Each is a pygeoapi document bug, not a server bug:

* ``/collections/{id}/tiles``: pygeoapi declares a draft schema requiring ``tileMatrixSetLinks``;
  OGC API – Tiles 1.0 (``rTileSetsList.yaml``) requires ``tilesets``, each with ``dataType``,
  ``crs`` and ``links`` (``self`` and a ``tiling-scheme`` link), which is what pygeoapi sends.
* ``/collections/{id}/queryables`` and ``/schema`` answer a JSON Schema as
  ``application/schema+json`` (OGC API – Features Part 3), declared as ``application/json`` with
  a schema requiring a ``queryables`` member.
* ``/conformance`` is declared with the landing page's response; it is a conformance declaration.
* ``/collections/{id}/coverage`` is declared as GeoJSON features; it is CoverageJSON or GeoTIFF.
* a feature's ``geometry`` may be ``null`` (RFC 7946 §3.2; the catalogue's records have none).
* every format the ``f`` parameter of an operation offers (``jsonld``, ``html``, ``csv``) is
  declared on its responses, ``application/json`` (pygeoapi's ``server.mimetype``) wherever the
  OGC documents declare only ``application/geo+json`` or ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any

from api_config.oas.bundle import bundle
from gis.sqlfiles import dothi_version

_FEATURES = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"
TILESETS = (
    "https://schemas.opengis.net/ogcapi/tiles/part1/1.0/openapi/responses/tiles-core/rTileSetsList.yaml"
)
CONFORMANCE = f"{_FEATURES}#/components/responses/ConformanceDeclaration"
SCHEMA_JSON = "application/schema+json"
ANY: dict[str, Any] = {}
FORMATS = {
    "json": "application/json",
    "jsonld": "application/ld+json",
    "html": "text/html",
    "csv": "text/csv",
}
JSON_SCHEMA = {
    "type": "object",
    "required": ["type", "properties"],
    "properties": {"properties": {"type": "object"}},
}
COVERAGE = {
    "description": "The coverage (CoverageJSON, or GeoTIFF with f=GTiff)",
    "content": {
        "application/prs.coverage+json": {"schema": {"type": "object"}},
        "image/tiff": {"schema": {"type": "string", "format": "binary"}},
        "text/html": {"schema": {"type": "string"}},
    },
}


def fix(document: dict[str, Any]) -> dict[str, Any]:
    """Apply the corrections (in place) to a bundled document; the result is bundled too."""
    # the document's version is dothi's (pygeoapi writes its own: a version banner for attackers)
    document.setdefault("info", {})["version"] = dothi_version()
    components = document.setdefault("components", {})
    responses = components.setdefault("responses", {})
    if "Tiles" in responses:
        responses["Tiles"] = {"$ref": TILESETS}
        components.get("schemas", {}).pop("tiles", None)
    queryables = responses.get("Queryables", {}).get("content", {})
    if "application/json" in queryables:
        queryables.pop("application/json")
        queryables[SCHEMA_JSON] = {"schema": JSON_SCHEMA}
    paths = document.get("paths", {})
    if "/conformance" in paths:
        paths["/conformance"]["get"]["responses"]["200"] = {"$ref": CONFORMANCE}
    for path, operations in paths.items():
        if path.endswith("/coverage") and "get" in operations:
            operations["get"]["responses"]["200"] = COVERAGE
    bundle(document)
    _nullable_geometry(components.get("schemas", {}))
    for operation in _operations(document):
        _declare_formats(document, operation)
    return document


def _nullable_geometry(schemas: dict[str, Any]) -> None:
    feature = schemas.get("ogcapi-features-1.featureGeoJSON", {}).get("properties", {})
    if "$ref" in feature.get("geometry", {}):
        feature["geometry"] = {"nullable": True, "allOf": [feature["geometry"]]}


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for operations in document.get("paths", {}).values()
        for operation in operations.values()
        if isinstance(operation, dict) and "responses" in operation
    ]


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = document
        for token in node["$ref"][2:].split("/"):
            target = target[token]
        node = target
    return node


def _declare_formats(document: dict[str, Any], operation: dict[str, Any]) -> None:
    offered = set()
    for declared in operation.get("parameters", []):
        parameter = _resolve(document, declared)
        if parameter.get("name") == "f" and parameter.get("in") == "query":
            offered |= {FORMATS[f] for f in parameter.get("schema", {}).get("enum", []) if f in FORMATS}
    for response in operation["responses"].values():
        content = _resolve(document, response).get("content")
        if not content:
            continue
        if {"application/geo+json", "application/problem+json"} & set(content):
            offered.add("application/json")
        for media in offered - set(content):
            content[media] = {"schema": ANY}
