"""What the public map needs besides the layers and indicators of ``meta.json``, and how its files
are sent.

* :func:`extras`: the notices (:mod:`layers.notices`, one wording everywhere), the land-use codes with
  their meaning, the road classes, the look-up and search routes; merged into ``meta.json``.
* :func:`send_static`: a static file of the map, gzip-compressed when the client accepts it (OpenLayers
  is 1 MB, 0.3 MB compressed; a phone on a slow network feels the difference) and cached by the
  browser with revalidation (``ETag``).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from pathlib import Path
from typing import Any

from flask import Response, abort, request

from layers.catalog.infrastructure import ROAD_CLASSES
from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.notices import SCENARIO_RESULT, SYNTHETIC_DATA, SYNTHETIC_RESULT

MEDIA = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json"}
_CACHE: dict[Path, tuple[float, bytes, bytes, str]] = {}
_LOCK = threading.Lock()


def extras() -> dict[str, Any]:
    """The constant part of ``meta.json``."""
    return {
        "notices": {
            "synthetic_data": SYNTHETIC_DATA,
            "synthetic_result": SYNTHETIC_RESULT,
            "scenario_result": SCENARIO_RESULT,
        },
        "land_use_codes": {
            code: {"vi": c.name_vi, "en": c.name_en, "group": c.group} for code, c in LAND_USE_CODES.items()
        },
        "road_classes": list(ROAD_CLASSES),
        "routes": {"lookup": "/lookup", "search": "/search", "process": "/processes/lookup"},
    }


def _load(path: Path) -> tuple[bytes, bytes, str]:
    mtime = path.stat().st_mtime
    with _LOCK:
        cached = _CACHE.get(path)
        if cached is None or cached[0] != mtime:
            raw = path.read_bytes()
            cached = (mtime, raw, gzip.compress(raw, compresslevel=6), hashlib.sha256(raw).hexdigest()[:16])
            _CACHE[path] = cached
    return cached[1], cached[2], cached[3]


def send_static(path: Path) -> Response:
    """``path`` (a file of the map) with gzip, ETag and revalidation."""
    if not path.is_file():
        abort(404)
    raw, packed, tag = _load(path)
    media = MEDIA.get(path.suffix, "application/octet-stream")
    etag = f'"{tag}"'
    if request.headers.get("If-None-Match") == etag:
        response = Response(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(packed, mimetype=media)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(raw, mimetype=media)
    response.headers["ETag"] = etag
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=3600, must-revalidate"
    return response
