"""Corrections of pygeoapi 0.24's generated OpenAPI document, so that it describes the responses
the server really sends (each checked by the schemathesis run in ``make test``).

* ``/collections/{id}/tiles``: pygeoapi declares a draft schema requiring ``tileMatrixSetLinks``;
  OGC API – Tiles 1.0 (``rTileSetsList.yaml``) requires ``tilesets``, each with ``dataType``,
  ``crs`` and ``links`` (``self`` and a ``tiling-scheme`` link), which is what pygeoapi sends.
* ``/collections/{id}/queryables`` and ``/schema`` answer ``application/schema+json`` (OGC API –
  Features Part 3), declared as ``application/json``.
"""

from __future__ import annotations

from typing import Any

TILESETS = (
    "https://schemas.opengis.net/ogcapi/tiles/part1/1.0/openapi/responses/tiles-core/rTileSetsList.yaml"
)
SCHEMA_JSON = "application/schema+json"


def fix(document: dict[str, Any]) -> dict[str, Any]:
    """Apply the corrections (in place) before :func:`api_config.oas.bundle.bundle`."""
    responses = document.setdefault("components", {}).setdefault("responses", {})
    if "Tiles" in responses:
        responses["Tiles"] = {"$ref": TILESETS}
        document["components"].get("schemas", {}).pop("tiles", None)
    queryables = responses.get("Queryables", {}).get("content", {})
    if "application/json" in queryables:
        queryables[SCHEMA_JSON] = queryables.pop("application/json")
    return document
