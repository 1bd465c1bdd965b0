"""What generic OGC API clients (GDAL's ``OAPIF:`` and ``OGCAPI:`` drivers, OWSLib, QGIS) need
from pygeoapi's answers, added around pygeoapi 0.24's own endpoint functions:

* :mod:`.collections` — a coverage says ``layerDataType: Coverage`` (GDAL's ``OAPIF:`` driver
  then lists only the feature collections), its GeoTIFF link carries the registered media type
  ``image/tiff; application=geotiff`` and its bands are described (``rangeType``);
* :mod:`.tiling` — the tile-matrix-set document also carries the TMS 1.0 members GDAL < 3.8
  parses, and each tileset lists its ``tileMatrixSetLimits`` (the tiles that hold data);
* :mod:`.processes` — ``/processes`` lists every process by default and pages with
  ``limit``/``offset`` and ``next``/``prev`` links;
* :mod:`.scaled` — ``/coverage`` answers ``scaleSize`` (GDAL's coverage reader) with a GeoTIFF of
  exactly that size.

:func:`install` replaces the module attributes pygeoapi's Flask routes call (the pattern
``api_config.wsgi`` already uses for the queryables).
"""

from __future__ import annotations

from api_config.clients.install import install

__all__ = ["install"]
