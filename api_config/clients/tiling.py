"""Tile matrix sets and tilesets readable by every GDAL that has the ``OGCAPI:`` driver.

GDAL before 3.8 parses only the TMS 1.0 JSON encoding of a tile matrix set (``type:
TileMatrixSetType``, ``identifier``, ``supportedCRS``, ``tileMatrix``); pygeoapi serves TMS 2.0
(``id``, ``crs``, ``tileMatrices``).  The document gets the 1.0 members next to the 2.0 ones, so
both parsers find what they read (newer GDAL, OpenLayers and QGIS read the 2.0 members).

A tileset also lists its ``tileMatrixSetLimits`` — per zoom, the rows and columns that hold the
collection's extent — so a client asks only for tiles that can hold data.
"""

from __future__ import annotations

import math
from typing import Any

#: Zoom levels listed when the tile provider does not say (the provider's default range).
DEFAULT_ZOOM = {"min": 0, "max": 22}
_MAX_LAT = 85.0511287798066


def add_tms_v1(api: Any, request: Any, body: dict[str, Any], args: tuple[Any, ...]) -> None:
    """``/TileMatrixSets/{id}``: add the TMS 1.0 members (OGC 17-083r2 JSON encoding)."""
    del api, request, args
    matrices = body.get("tileMatrices")
    if not isinstance(matrices, list):
        return
    body["type"] = "TileMatrixSetType"
    body["identifier"] = body.get("id")
    body["supportedCRS"] = body.get("crs")
    body["tileMatrix"] = [
        {
            "type": "TileMatrixType",
            "identifier": m["id"],
            "scaleDenominator": m["scaleDenominator"],
            "topLeftCorner": m["pointOfOrigin"],
            "tileWidth": m["tileWidth"],
            "tileHeight": m["tileHeight"],
            "matrixWidth": m["matrixWidth"],
            "matrixHeight": m["matrixHeight"],
        }
        for m in matrices
    ]


def _row(lat: float, n: int) -> int:
    lat = max(-_MAX_LAT, min(_MAX_LAT, lat))
    rad = math.radians(lat)
    return min(n - 1, max(0, int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)))


def _col(lon: float, n: int) -> int:
    return min(n - 1, max(0, int((lon + 180) / 360 * n)))


def web_mercator_limits(bbox: list[float], zmin: int, zmax: int) -> list[dict[str, Any]]:
    """WebMercatorQuad tile limits of a CRS84 ``bbox`` for zooms ``zmin``…``zmax``.

    Examples
    --------
    >>> web_mercator_limits([106.3, 10.3, 106.4, 10.4], 0, 1)[1]
    {'tileMatrix': '1', 'minTileRow': 0, 'maxTileRow': 0, 'minTileCol': 1, 'maxTileCol': 1}
    """
    minx, miny, maxx, maxy = bbox
    out = []
    for z in range(zmin, zmax + 1):
        n = 2**z
        out.append(
            {
                "tileMatrix": str(z),
                "minTileRow": _row(maxy, n),
                "maxTileRow": _row(miny, n),
                "minTileCol": _col(minx, n),
                "maxTileCol": _col(maxx, n),
            }
        )
    return out


def add_tileset_limits(api: Any, request: Any, body: dict[str, Any], args: tuple[Any, ...]) -> None:
    """``/collections/{id}/tiles/{tms}``: add ``tileMatrixSetLimits`` from the collection's extent."""
    del request
    dataset, matrix = [*args, None, None][:2]
    resource = api.config["resources"].get(dataset) or {}
    if matrix != "WebMercatorQuad" or "tileMatrixSetLimits" in body:
        return
    bbox = resource.get("extents", {}).get("spatial", {}).get("bbox")
    if not bbox:
        return
    if isinstance(bbox[0], list):
        bbox = bbox[0]
    tile: dict[str, Any] = next((p for p in resource.get("providers", []) if p.get("type") == "tile"), {})
    zoom = (tile.get("options") or {}).get("zoom", DEFAULT_ZOOM)
    body["tileMatrixSetLimits"] = web_mercator_limits(
        [float(v) for v in bbox], int(zoom["min"]), int(zoom["max"])
    )
