"""OGC API – Coverages on the rasters (Cloud-Optimized GeoTIFFs listed in ``catalog.rasters``).

pygeoapi's rasterio provider reads the COG by window; this subclass first works out how many cells
the request would read (the whole raster, a ``bbox`` or ``subset`` window, times the bands) and
refuses requests above ``options.max_cells`` with HTTP 413 and a message saying how to narrow them,
instead of exhausting the worker's memory.  A ``bbox`` or ``subset`` is checked (finite numbers,
both axes, overlapping the raster: else HTTP 400 naming the parameter), clipped to the raster and
passed on as a ``subset`` in the raster's CRS.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderRequestEntityTooLargeError
from pygeoapi.provider.rasterio_ import RasterioProvider
from rasterio.warp import transform_bounds
from rasterio.windows import Window, from_bounds
from rasterio.windows import bounds as window_bounds

CRS84_URIS = {
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "https://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "CRS84",
}
#: Default largest number of cells (pixels × bands) one request may read.
DEFAULT_MAX_CELLS = 4_000_000


def invalid(message: str) -> ProviderInvalidQueryError:
    return ProviderInvalidQueryError(message, user_msg=message)


def epsg_code(crs: Any) -> int:
    """The EPSG code of ``bbox-crs`` (a code, an EPSG URI, or CRS84 → 4326, whose axes are lon/lat)."""
    text = str(crs).strip()
    if text in CRS84_URIS:
        return 4326
    match = re.fullmatch(r"(?:https?://www\.opengis\.net/def/crs/EPSG/0/|EPSG:)?(\d{1,6})", text)
    if match is None:
        raise invalid(f"Parameter 'bbox-crs': {text!r} is not an EPSG code, EPSG URI or CRS84.")
    return int(match.group(1))


def _interval(values: Any, axis: str) -> tuple[float, float]:
    """A ``subset`` interval ``axis(low:high)`` as two finite numbers in increasing order."""
    usage = "Parameter 'subset': give both axes as x(low:high),y(low:high) in the raster's CRS"
    if not isinstance(values, list) or len(values) != 2:
        raise invalid(f"{usage}; axis {axis!r} is missing or not an interval.")
    try:
        low, high = (float(v) for v in values)
    except (TypeError, ValueError):
        raise invalid(f"{usage}; {axis}({values[0]}:{values[1]}) is not numeric.") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise invalid(f"{usage}; {axis}({low}:{high}) is not finite.")
    return min(low, high), max(low, high)


class LimitedRasterioProvider(RasterioProvider):
    """pygeoapi's rasterio provider with a size limit per request."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.max_cells = int((self.options or {}).get("max_cells", DEFAULT_MAX_CELLS))

    def _get_coverage_properties(self) -> dict[str, Any]:
        """pygeoapi's properties with the CRS named by its EPSG URI: pygeoapi 0.24 writes
        ``…/def/crs/OGC/1.3/<code>``, which no registry defines (CRS84 stays OGC/1.3/CRS84)."""
        properties: dict[str, Any] = super()._get_coverage_properties()
        crs = self._data.crs
        if crs is not None and crs.is_projected and crs.to_epsg() is not None:
            properties["bbox_crs"] = f"http://www.opengis.net/def/crs/EPSG/0/{crs.to_epsg()}"
        return properties

    def pixel_bounds(
        self, *, bbox: list[float] | None, subsets: dict[str, Any], bbox_crs: int
    ) -> tuple[tuple[float, float, float, float], int, int] | None:
        """The requested area clipped to the raster and widened to whole pixels (bounds in the
        raster's CRS, width, height), or None for the whole raster; raises
        ProviderInvalidQueryError (HTTP 400) when it is malformed or misses the raster."""
        ds = self._data
        bounds = self.window_bounds(bbox=bbox, subsets=subsets, bbox_crs=bbox_crs)
        if bounds is None:
            return None
        left, bottom, right, top = ds.bounds
        x0, y0 = max(bounds[0], left), max(bounds[1], bottom)
        x1, y1 = min(bounds[2], right), min(bounds[3], top)
        if not (x0 < x1 and y0 < y1):
            what = "bbox" if bbox else "subset"
            raise invalid(
                f"Parameter '{what}': the area does not overlap the coverage, whose extent is "
                f"{left:.6g},{bottom:.6g},{right:.6g},{top:.6g} in {ds.crs} "
                "(see the collection's extent for CRS84). / Vùng yêu cầu nằm ngoài dữ liệu raster."
            )
        window = from_bounds(x0, y0, x1, y1, transform=ds.transform)
        col0, row0 = max(0, math.floor(window.col_off)), max(0, math.floor(window.row_off))
        col1 = min(ds.width, max(col0 + 1, math.ceil(window.col_off + window.width)))
        row1 = min(ds.height, max(row0 + 1, math.ceil(window.row_off + window.height)))
        pixels = Window(col0, row0, col1 - col0, row1 - row0)
        return window_bounds(pixels, ds.transform), col1 - col0, row1 - row0

    def window_bounds(
        self, *, bbox: list[float] | None, subsets: dict[str, Any], bbox_crs: Any
    ) -> tuple[float, float, float, float] | None:
        """The requested area in the raster's CRS, or None for the whole raster."""
        if bbox:
            if len(bbox) != 4:
                raise invalid("Parameter 'bbox': a coverage takes 4 values minx,miny,maxx,maxy.")
            try:
                bounds = transform_bounds(f"EPSG:{bbox_crs}", self._data.crs, *bbox)
            except Exception as exc:
                raise invalid(f"Parameter 'bbox': cannot be transformed to the raster's CRS: {exc}") from exc
            if not all(map(math.isfinite, bounds)):
                raise invalid(f"Parameter 'bbox': {bbox} is outside the valid area of EPSG:{bbox_crs}.")
            return bounds
        x_label = self._coverage_properties["x_axis_label"]
        y_label = self._coverage_properties["y_axis_label"]
        if x_label not in subsets and y_label not in subsets:
            return None
        xs, ys = (_interval(subsets.get(label), label) for label in (x_label, y_label))
        return xs[0], ys[0], xs[1], ys[1]

    def query(
        self,
        properties: list[str] | None = None,
        subsets: dict[str, Any] | None = None,
        bbox: list[float] | None = None,
        bbox_crs: Any = 4326,
        datetime_: str | None = None,
        format_: str = "json",
        **kwargs: Any,
    ) -> Any:
        properties = list(dict.fromkeys(properties or []))  # a band named twice: GDAL's shape mismatch
        subsets = subsets or {}
        bbox_crs = epsg_code(bbox_crs)
        bands = len(properties) or self._data.count
        area = self.pixel_bounds(bbox=bbox, subsets=subsets, bbox_crs=bbox_crs)
        if area is None:
            n = self._data.width * self._data.height * bands
        else:
            # pygeoapi masks with the request's own polygon: NaN corners (a bbox beyond the
            # poles) or huge ones (GDAL crashed on subset=x(0:1e300)) never reach it
            (x0, y0, x1, y1), width, height = area
            x_label = self._coverage_properties["x_axis_label"]
            y_label = self._coverage_properties["y_axis_label"]
            subsets = {**subsets, x_label: [x0, x1], y_label: [y0, y1]}
            bbox = []
            n = width * height * bands
        if n > self.max_cells:
            message = (
                f"The request would read {n:,} cells (pixels × bands); the limit is {self.max_cells:,}. "
                "Narrow it with bbox=minx,miny,maxx,maxy or subset=x(a:b),y(c:d), or fewer bands "
                "(properties)."
            )
            raise ProviderRequestEntityTooLargeError(message, user_msg=message)
        return super().query(
            properties=properties,
            subsets=subsets,
            bbox=bbox,
            bbox_crs=bbox_crs,
            datetime_=datetime_,
            format_=format_,
            **kwargs,
        )
