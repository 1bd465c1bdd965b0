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
import html
import json
import threading
from pathlib import Path
from typing import Any

from flask import Response, abort, request
from psycopg2 import sql
from sqlalchemy.engine import Engine

from gis.sqlfiles import load_sql
from layers.catalog import LAYERS
from layers.catalog.infrastructure import ROAD_CLASSES
from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.notices import SCENARIO_RESULT, SYNTHETIC_DATA, SYNTHETIC_RESULT

#: Layers drawn as the basemap, on when the page opens (the page reads them from ``meta.json``).
#: The ward outlines and names are drawn from the indicator's ward features, for the vintage shown.
BASEMAP_LAYERS = ("water_bodies", "green_spaces", "buildings", "roads")
DEFAULT_INDICATOR = "population_density"
NOTICE_SLOT = '<p id="notice" role="status" hidden></p>'
MEDIA = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json"}
_CACHE: dict[Path, tuple[float, bytes, bytes, str]] = {}
_LOCK = threading.Lock()


def extras(engine: Engine | None = None) -> dict[str, Any]:
    """The part of ``meta.json`` that is not about layers and indicators (with ``engine``: the
    city's extent, so the page opens on the city without waiting for any data)."""
    return {
        "extent": _city_extent(engine) if engine is not None else None,
        "notices": {
            "synthetic_data": SYNTHETIC_DATA,
            "synthetic_result": SYNTHETIC_RESULT,
            "scenario_result": SCENARIO_RESULT,
        },
        "land_use_codes": {
            code: {"vi": c.name_vi, "en": c.name_en, "group": c.group} for code, c in LAND_USE_CODES.items()
        },
        "road_classes": list(ROAD_CLASSES),
        "fields": {
            spec.name: {a.name: {"vi": a.title_vi, "en": a.title_en, "unit": a.unit} for a in spec.attributes}
            for spec in LAYERS.values()
        },
        "routes": {"lookup": "/lookup", "search": "/search", "process": "/processes/lookup"},
        "basemap": list(BASEMAP_LAYERS),
    }


def _city_extent(engine: Engine) -> list[float] | None:
    spec = LAYERS["admin_units"]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SELECT to_regclass(%(t)s)", {"t": spec.qualified_name})
        if cur.fetchone()[0] is None:
            return None
        cur.execute(
            sql.SQL(load_sql("api_config.lookup", "city_extent")).format(
                admin=sql.Identifier(spec.schema, spec.table)
            )
        )
        row = cur.fetchone()
    return None if row is None or row[0] is None else [round(float(v), 6) for v in row]


def notice_html(meta: dict[str, Any], lang: str = "vi") -> str:
    """The synthetic-data banner as the page shows it on opening (basemap layers on): rendered
    into the page by the server so that it is there at first paint, not after the scripts."""
    shown = [
        layer
        for layer in meta.get("layers", [])
        if layer["id"] in BASEMAP_LAYERS and layer["features"] > 0 and layer["synthetic_features"] > 0
    ]
    parts = []
    if shown:
        names = ", ".join(html.escape(layer[f"title_{lang}"]) for layer in shown)
        parts.append(f"<strong>{html.escape(SYNTHETIC_DATA[lang])}</strong>: {names}")
    indicator = default_indicator(meta)
    if indicator is not None and indicator.get("synthetic"):
        title = html.escape(indicator[f"title_{lang}"])
        parts.append(f"<strong>{title}</strong>: {html.escape(SYNTHETIC_RESULT[lang])}")
    if not parts:
        return NOTICE_SLOT
    return f'<p id="notice" role="status">{" · ".join(parts)}</p>'


def default_indicator(meta: dict[str, Any]) -> dict[str, Any] | None:
    """The indicator the page shows on opening (the same rule as app.js)."""
    indicators = meta.get("indicators", [])
    chosen = next((i for i in indicators if i["id"] == DEFAULT_INDICATOR), None)
    return chosen or (indicators[0] if indicators else None)


def send_index(path: Path, meta_path: Path | None) -> Response:
    """The page with the banner filled in from ``meta.json`` (when it has been generated)."""
    page = path.read_text(encoding="utf-8")
    if meta_path is not None and meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        page = page.replace(NOTICE_SLOT, notice_html(meta))
    raw = page.encode("utf-8")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(gzip.compress(raw, compresslevel=6), mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(raw, mimetype="text/html")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "no-cache"
    return response


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
