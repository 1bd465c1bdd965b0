"""Coverages at a requested size: ``/collections/{id}/coverage?scaleSize=…`` (OGC API – Coverages
scaling, also spelled ``scale-size``), answered as a GeoTIFF of exactly that many columns and rows.

This is how GDAL's ``OGCAPI:`` driver reads a coverage: it asks for each 256 × 256 block with
``bbox=minx,miny,maxx,maxy&scaleSize=Lat(rows),Long(columns)`` (CRS84) and places the returned
pixels as they are, so the answer must be that grid exactly.  The raster is warped (nearest
neighbour: no invented values) onto the grid of the ``bbox`` (in ``bbox-crs``, CRS84 by default)
or of a ``subset`` in the raster's own CRS; cells outside the raster are nodata.  The cell limit
of the coverage provider (``options.max_cells``) applies to the output.  pygeoapi itself ignores
``scaleSize``; every request without it goes to pygeoapi.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import parse_qsl

import rasterio
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.io import MemoryFile
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT

from api_config.providers.coverage import DEFAULT_MAX_CELLS, epsg_code

_PATH = re.compile(r"^/collections/([^/]+)/coverage/?$")
_SCALE = re.compile(r"^\s*([A-Za-z_]+)\((\d{1,6})\)\s*$")
_SUBSET = re.compile(r"^\s*([A-Za-z_]+)\(([^:()]+):([^:()]+)\)\s*$")
_X_AXES = {"x", "long", "lon", "e", "easting"}
_Y_AXES = {"y", "lat", "n", "northing"}
_ALLOWED = {"f", "bbox", "bbox-crs", "subset", "scaleSize", "scale-size"}
GEOTIFF = "image/tiff; application=geotiff"

Response = tuple[str, list[tuple[str, str]], bytes]


class BadRequestError(ValueError):
    """A parameter that cannot be honoured (HTTP 400)."""


def parse_scale(text: str) -> tuple[int, int]:
    """``(width, height)`` from ``x(w),y(h)`` / ``Lat(h),Long(w)`` (any order)."""
    size: dict[str, int] = {}
    for part in text.split(","):
        match = _SCALE.match(part)
        if match is None:
            raise BadRequestError(f"Parameter 'scaleSize': {part!r} is not axis(size), e.g. x(256),y(256).")
        axis, value = match.group(1).lower(), int(match.group(2))
        key = "w" if axis in _X_AXES else "h" if axis in _Y_AXES else None
        if key is None or value < 1:
            raise BadRequestError(
                f"Parameter 'scaleSize': unknown axis or size in {part!r}; use x/Long and y/Lat."
            )
        size[key] = value
    if set(size) != {"w", "h"}:
        raise BadRequestError(
            "Parameter 'scaleSize': give both axes, e.g. x(256),y(256) or Lat(256),Long(256)."
        )
    return size["w"], size["h"]


def parse_subset(text: str) -> tuple[float, float, float, float]:
    """Bounds from ``x(a:b),y(c:d)`` in the raster's CRS."""
    got: dict[str, tuple[float, float]] = {}
    for part in text.split(","):
        match = _SUBSET.match(part)
        axis = match.group(1).lower() if match else ""
        if match is None or axis not in _X_AXES | _Y_AXES:
            raise BadRequestError(f"Parameter 'subset': {part!r} is not x(low:high) or y(low:high).")
        try:
            low, high = float(match.group(2)), float(match.group(3))
        except ValueError:
            raise BadRequestError(f"Parameter 'subset': {part!r} is not numeric.") from None
        got["x" if axis in _X_AXES else "y"] = (min(low, high), max(low, high))
    if set(got) != {"x", "y"}:
        raise BadRequestError("Parameter 'subset': give both axes, x(low:high),y(low:high).")
    return got["x"][0], got["y"][0], got["x"][1], got["y"][1]


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise BadRequestError(
            f"Parameter 'bbox': {text!r} is not four numbers minx,miny,maxx,maxy."
        ) from None
    if len(values) != 4:
        raise BadRequestError("Parameter 'bbox': a coverage takes 4 values minx,miny,maxx,maxy.")
    minx, miny, maxx, maxy = values
    return minx, miny, maxx, maxy


def _grid(params: dict[str, str], native: CRS, bounds: Any) -> tuple[CRS, tuple[float, float, float, float]]:
    """The CRS and bounds of the output grid."""
    if "bbox" in params:
        try:
            code = epsg_code(params.get("bbox-crs") or "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
        except Exception as exc:
            raise BadRequestError(str(exc)) from None
        area = parse_bbox(params["bbox"])
        return CRS.from_epsg(code), area
    if "subset" in params:
        return native, parse_subset(params["subset"])
    return native, (bounds.left, bounds.bottom, bounds.right, bounds.top)


def render(path: str, params: dict[str, str], *, max_cells: int) -> bytes:
    """The GeoTIFF answering a scaled coverage request."""
    scale = params.get("scaleSize") or params.get("scale-size") or ""
    width, height = parse_scale(scale)
    with rasterio.open(path) as src:
        if width * height * src.count > max_cells:
            raise BadRequestError(
                f"Parameter 'scaleSize': {width} × {height} × {src.count} band(s) exceeds the limit of "
                f"{max_cells:,} cells; ask for fewer columns and rows."
            )
        crs, (minx, miny, maxx, maxy) = _grid(params, src.crs, src.bounds)
        if not all(map(math.isfinite, (minx, miny, maxx, maxy))) or not (minx < maxx and miny < maxy):
            raise BadRequestError(
                "Parameter 'bbox'/'subset': the area must have minx < maxx and miny < maxy."
            )
        transform = from_bounds(minx, miny, maxx, maxy, width, height)
        nodata = src.nodata if src.nodata is not None else 0
        with WarpedVRT(
            src,
            crs=crs,
            transform=transform,
            width=width,
            height=height,
            resampling=Resampling.nearest,
            nodata=nodata,
        ) as vrt:
            data = vrt.read()
        profile = {
            "driver": "GTiff",
            "width": width,
            "height": height,
            "count": src.count,
            "dtype": src.dtypes[0],
            "crs": crs,
            "transform": transform,
            "nodata": nodata,
        }
        with MemoryFile() as memory:
            with memory.open(**profile) as out:
                out.write(data)
                out.update_tags(**src.tags())
            return bytes(memory.read())


class ScaledCoverage:
    """The lean path of :mod:`api_config.wsgi` answering coverage requests with ``scaleSize``."""

    def __init__(self, api: Any, *, cors: bool) -> None:
        self.cors = cors
        self.files: dict[str, tuple[str, int]] = {}
        for cid, resource in api.config["resources"].items():
            for p in resource.get("providers", []) if resource.get("type") == "collection" else []:
                if p.get("type") == "coverage":
                    cells = int((p.get("options") or {}).get("max_cells", DEFAULT_MAX_CELLS))
                    self.files[cid] = (str(p["data"]), cells)

    def respond(self, environ: dict[str, Any]) -> Response | None:
        """The response, or None when pygeoapi must answer."""
        match = _PATH.match(environ.get("PATH_INFO", ""))
        if match is None or match.group(1) not in self.files or environ.get("REQUEST_METHOD") != "GET":
            return None
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        params = dict(pairs)
        if "scaleSize" not in params and "scale-size" not in params:
            return None
        path, max_cells = self.files[match.group(1)]
        try:
            unknown = sorted({k for k, _ in pairs} - _ALLOWED)
            if unknown:
                raise BadRequestError(
                    f"Parameter(s) {', '.join(map(repr, unknown))} cannot be combined with scaleSize; "
                    f"allowed: {', '.join(sorted(_ALLOWED))}."
                )
            if params.get("f", "GTiff").lower() not in ("gtiff", "geotiff", "tiff"):
                raise BadRequestError("Parameter 'f': scaleSize answers GeoTIFF only (f=GTiff).")
            body = render(path, params, max_cells=max_cells)
        except BadRequestError as exc:
            message = f"{exc} / Tham số không hợp lệ."
            data = json.dumps(
                {"code": "InvalidParameterValue", "type": "InvalidParameterValue", "description": message},
                ensure_ascii=False,
            ).encode("utf-8")
            return (
                "400 Bad Request",
                [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
                data,
            )
        headers = [("Content-Type", GEOTIFF), ("Content-Length", str(len(body)))]
        if self.cors:
            headers.append(("Access-Control-Allow-Origin", "*"))
        return "200 OK", headers, body
