"""Corrections of pygeoapi 0.24's generated OpenAPI document, so that it describes the responses
the server really sends (each checked by the schemathesis run in ``make test``).

* ``/collections/{id}/tiles``: pygeoapi declares a draft schema requiring ``tileMatrixSetLinks``;
  OGC API – Tiles 1.0 (``rTileSetsList.yaml``) requires ``tilesets``, each with ``dataType``,
  ``crs`` and ``links`` (``self`` and a ``tiling-scheme`` link), which is what pygeoapi sends.
* ``/collections/{id}/queryables`` and ``/schema`` answer ``application/schema+json`` (OGC API –
  Features Part 3), declared as ``application/json``.
* pygeoapi answers GeoJSON (``f=json``) as ``application/json`` (its ``server.mimetype``) where
  the OGC documents declare only ``application/geo+json``: both are declared.
"""

from __future__ import annotations

from typing import Any

from api_config.oas.bundle import bundle

TILESETS = (
    "https://schemas.opengis.net/ogcapi/tiles/part1/1.0/openapi/responses/tiles-core/rTileSetsList.yaml"
)
SCHEMA_JSON = "application/schema+json"


def fix(document: dict[str, Any]) -> dict[str, Any]:
    """Apply the corrections (in place) to a bundled document; the result is bundled too."""
    responses = document.setdefault("components", {}).setdefault("responses", {})
    if "Tiles" in responses:
        responses["Tiles"] = {"$ref": TILESETS}
        document["components"].get("schemas", {}).pop("tiles", None)
    queryables = responses.get("Queryables", {}).get("content", {})
    if "application/json" in queryables:
        queryables[SCHEMA_JSON] = queryables.pop("application/json")
    bundle(document)
    for response in _responses(document):
        content = response.get("content") or {}
        if "application/geo+json" in content and "application/json" not in content:
            content["application/json"] = content["application/geo+json"]
    return document


def _responses(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every response object of the document (components and inline ones)."""
    found = [r for r in document["components"].get("responses", {}).values() if isinstance(r, dict)]
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                found += [r for r in operation.get("responses", {}).values() if isinstance(r, dict)]
    return found
