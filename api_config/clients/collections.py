"""Collection descriptions every client can classify (GDAL ``OAPIF:``/``OGCAPI:``, OWSLib, QGIS).

* ``layerDataType`` (``Coverage`` for rasters, ``Vector`` for feature collections): GDAL's
  ``OAPIF:`` driver skips coverages (it used to request their ``/items`` and get HTTP 400) and its
  ``OGCAPI:`` driver lists each collection under the right kind of dataset;
* the GeoTIFF coverage link is typed ``image/tiff; application=geotiff`` (the registered media
  type, the one GDAL's ``OGCAPI:`` driver looks for);
* ``storageCrs`` names the raster's CRS by its EPSG URI;
* ``scaleDenominator`` gives the native cell size (GDAL sizes the raster from it);
* ``rangeType`` describes the bands (name, data type, unit, nodata), as OGC API – Coverages does,
  so a reader knows the data type without downloading the file.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import rasterio

GEOTIFF = "image/tiff; application=geotiff"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
COVERAGE_REL = "http://www.opengis.net/def/rel/ogc/1.0/coverage"
#: SWE Common data types (the ``ogcType:`` names GDAL maps to its own types).
OGC_TYPES = {
    "uint8": "ogcType:unsignedByte",
    "int16": "ogcType:signedShort",
    "uint16": "ogcType:unsignedShort",
    "int32": "ogcType:signedInt",
    "uint32": "ogcType:unsignedInt",
    "float32": "ogcType:float32",
    "float64": "ogcType:float64",
}


def _provider(resource: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((p for p in resource.get("providers", []) if p.get("type") == kind), None)


Band = tuple[str, str, str, float | None]


@lru_cache(maxsize=64)
def _raster(path: str, mtime: float) -> tuple[tuple[Band, ...], int, int | None]:
    """(name, dtype, unit, nodata) of each band of a raster file, its width in pixels and its
    EPSG code (cached per file version)."""
    del mtime  # part of the cache key only
    with rasterio.open(path) as ds:
        bands = tuple(
            (ds.descriptions[i] or f"band{i + 1}", ds.dtypes[i], ds.units[i] or "", ds.nodatavals[i])
            for i in range(ds.count)
        )
        return bands, ds.width, ds.crs.to_epsg() if ds.crs else None


def _info(path: str) -> tuple[tuple[Band, ...], int, int | None]:
    return _raster(path, Path(path).stat().st_mtime)


def scale_denominator(bbox: list[float], width: int) -> float:
    """The scale denominator of the raster's native cell size (its CRS84 width over its columns),
    by the OGC rule of 0.28 mm pixels: GDAL's ``OGCAPI:`` driver sizes the raster from it."""
    degrees = (bbox[2] - bbox[0]) / width
    return round(degrees * (6378137 * math.pi / 180) / 0.28e-3, 3)


def range_type(path: str) -> dict[str, Any]:
    """The ``rangeType`` (a SWE Common DataRecord) of a raster file."""
    fields = []
    for name, dtype, unit, nodata in _info(path)[0]:
        field: dict[str, Any] = {"type": "Quantity", "name": name, "definition": OGC_TYPES.get(dtype, dtype)}
        if unit:
            field["uom"] = {"type": "UnitReference", "code": unit}
        if nodata is not None:
            field["nilValues"] = [{"reason": "http://www.opengis.net/def/nil/OGC/0/missing", "value": nodata}]
        fields.append(field)
    return {"type": "DataRecord", "field": fields}


def adapt_collection(collection: dict[str, Any], resource: dict[str, Any]) -> None:
    """Add what clients need to one collection description (in place)."""
    coverage = _provider(resource, "coverage")
    if coverage is not None:
        collection["layerDataType"] = "Coverage"
        for link in collection.get("links", []):
            if link.get("rel") == COVERAGE_REL and link.get("type") == "image/tiff":
                link["type"] = GEOTIFF
        if Path(str(coverage.get("data", ""))).is_file():
            collection["rangeType"] = range_type(str(coverage["data"]))
            bbox = collection.get("extent", {}).get("spatial", {}).get("bbox") or [[]]
            _, width, epsg = _info(str(coverage["data"]))
            if len(bbox[0]) == 4:
                collection["scaleDenominator"] = scale_denominator(bbox[0], width)
            if epsg is not None:
                collection["storageCrs"] = f"{EPSG}{epsg}"
    elif _provider(resource, "feature") is not None:
        collection["layerDataType"] = "Vector"


def adapt_collections(api: Any, request: Any, body: dict[str, Any], args: tuple[Any, ...]) -> None:
    """``/collections`` and ``/collections/{id}``: adapt each collection described."""
    del request, args
    resources = api.config["resources"]
    for collection in body.get("collections", [body]):
        resource = resources.get(collection.get("id"))
        if isinstance(resource, dict):
            adapt_collection(collection, resource)
