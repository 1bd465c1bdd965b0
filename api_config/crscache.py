"""CRS lookups made once per process instead of on every request.

pygeoapi builds ``pyproj`` objects from CRS URIs on every request: each provider instance calls
``get_crs(storage_crs)``, and every ``bbox`` query goes through ``transform_bbox``, which builds two
CRSs, a ``Transformer`` and asks PROJ to identify the target (``CRS.to_epsg()``) — even from CRS84 to
CRS84.  Profiling a page of 100 features in a small bbox (issue 15) put 67 % of the worker's time
there.  A CRS URI always names the same CRS, so the objects are built once per URI (pyproj ≥ 3.1
objects are thread-safe) and an identical source and target is no transformation at all.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pygeoapi.crs as pygeoapi_crs
import pygeoapi.provider.base as provider_base
import pyproj
from pygeoapi.api import itemtypes

#: pygeoapi's own functions (the cache falls back to them for anything but URI strings).
_GET_CRS = pygeoapi_crs.get_crs
_TRANSFORM_BBOX = pygeoapi_crs.transform_bbox
WEB_MERCATOR = 3857
_CACHE_SIZE = 256


@lru_cache(maxsize=_CACHE_SIZE)
def _crs_from_uri(uri: str) -> pyproj.CRS:
    return _GET_CRS(uri)


def get_crs(crs: str | pyproj.CRS) -> pyproj.CRS:
    """pygeoapi's ``get_crs``, built once per URI (a failed lookup is not cached: it raises again)."""
    return _crs_from_uri(crs) if isinstance(crs, str) else _GET_CRS(crs)


@lru_cache(maxsize=_CACHE_SIZE)
def _plan(from_uri: str, to_uri: str, always_xy: bool) -> tuple[Any, bool]:
    """The transform function (None for the identity) and whether the target is Web Mercator."""
    source, target = _crs_from_uri(from_uri), _crs_from_uri(to_uri)
    mercator = target.to_epsg() == WEB_MERCATOR
    if source == target:
        return None, mercator
    return pyproj.Transformer.from_crs(source, target, always_xy).transform, mercator


def transform_bbox(
    bbox: list[float], from_crs: str | pyproj.CRS, to_crs: str | pyproj.CRS, always_xy: bool = False
) -> list[float]:
    """pygeoapi's ``transform_bbox`` with the CRSs and the transformer built once per pair of URIs."""
    if not (isinstance(from_crs, str) and isinstance(to_crs, str)):
        return list(_TRANSFORM_BBOX(bbox, from_crs, to_crs, always_xy))
    transform, mercator = _plan(from_crs, to_crs, always_xy)
    if mercator:
        bbox = [bbox[0], max(-85.0511, bbox[1]), bbox[2], min(85.0511, bbox[3])]
    if transform is None:
        return [float(v) for v in bbox]
    n_dims = len(bbox) // 2
    return list(transform(*bbox[:n_dims]) + transform(*bbox[n_dims:]))


def install() -> None:
    """Use the cached lookups wherever pygeoapi looks CRSs up per request (idempotent)."""
    pygeoapi_crs.get_crs = get_crs
    provider_base.get_crs = get_crs
    itemtypes.transform_bbox = transform_bbox
