"""OGC API – Coverages on the rasters (Cloud-Optimized GeoTIFFs listed in ``catalog.rasters``).

pygeoapi's rasterio provider reads the COG by window; this subclass first works out how many cells
the request would read (the whole raster, a ``bbox`` or ``subset`` window, times the bands) and
refuses requests above ``options.max_cells`` with HTTP 413 and a message saying how to narrow them,
instead of exhausting the worker's memory.
"""

from __future__ import annotations

import math
from typing import Any

from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderRequestEntityTooLargeError
from pygeoapi.provider.rasterio_ import RasterioProvider
from rasterio.warp import transform_bounds
from rasterio.windows import from_bounds

#: Default largest number of cells (pixels × bands) one request may read.
DEFAULT_MAX_CELLS = 4_000_000


class LimitedRasterioProvider(RasterioProvider):
    """pygeoapi's rasterio provider with a size limit per request."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.max_cells = int((self.options or {}).get("max_cells", DEFAULT_MAX_CELLS))

    def cells(self, *, bbox: list[float] | None, subsets: dict[str, Any], bbox_crs: Any, bands: int) -> int:
        """Cells a request reads (an upper bound, from the window's size)."""
        ds = self._data
        x_label = self._coverage_properties["x_axis_label"]
        y_label = self._coverage_properties["y_axis_label"]
        if bbox:
            try:
                bounds = transform_bounds(f"EPSG:{int(bbox_crs)}", ds.crs, *bbox[:4])
            except Exception as exc:
                raise ProviderInvalidQueryError(user_msg=f"Parameter 'bbox': {exc}") from exc
        elif x_label in subsets and y_label in subsets:
            (x0, x1), (y0, y1) = subsets[x_label], subsets[y_label]
            bounds = (x0, y0, x1, y1)
        else:
            return ds.width * ds.height * bands
        window = from_bounds(*bounds, transform=ds.transform)
        width = min(ds.width, max(0, math.ceil(abs(window.width))))
        height = min(ds.height, max(0, math.ceil(abs(window.height))))
        return width * height * bands

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
        properties = properties or []
        subsets = subsets or {}
        bands = len(properties) or self._data.count
        n = self.cells(bbox=bbox, subsets=subsets, bbox_crs=bbox_crs, bands=bands)
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
