"""The public web map at ``/map``: static files, the OpenLayers build from npm, and ``meta.json``.

``meta.json`` is written when the API configuration is generated: which layers hold data (and how much
of it is synthetic), their titles in Vietnamese and English, style hints and attribution, and which
indicators have ward results for which boundary vintages.  The page itself only talks to our OGC API
(tiles for layers, features for the choropleth); nothing is fetched from the internet.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, redirect, request, send_from_directory
from flask.typing import ResponseReturnValue
from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.registry import INDICATORS
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from analysis.units import unit_vi
from api_config.indicator_collections import map_meta
from api_config.mapextras import extras, send_index, send_static
from api_config.styling.document import indicator_classes
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS

WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_DIR = WEB_DIR / "static"
VENDOR_FILES = {
    "ol.js": WEB_DIR / "node_modules/ol/dist/ol.js",
    "ol.css": WEB_DIR / "node_modules/ol/ol.css",
    # the parts of OpenLayers the map uses (npm run build, see web/src/ol-map.js)
    "ol-map.js": WEB_DIR / "dist/ol-map.js",
}
META_ENV = "DOTHI_MAP_META"

blueprint = Blueprint("dothi_map", __name__)


def _table_exists(cur: Any, name: str) -> bool:
    cur.execute("SELECT to_regclass(%(name)s)", {"name": name})
    return cur.fetchone()[0] is not None


def build_meta(engine: Engine, api_url: str) -> dict[str, Any]:
    """What the map needs to know about the published data."""
    layers, indicators = [], []
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for spec in LAYERS.values():
            if not _table_exists(cur, spec.qualified_name):
                continue
            cur.execute(
                sql.SQL(load_sql("api_config", "map_layer_counts")).format(
                    table=sql.Identifier(spec.schema, spec.table)
                )
            )
            total, synthetic = cur.fetchone()
            layers.append(
                {
                    "id": spec.name,
                    "title_vi": spec.title_vi,
                    "title_en": spec.title_en,
                    "geometry": spec.geometry,
                    "features": int(total),
                    "synthetic_features": int(synthetic),
                    "style": {
                        "fill": spec.style.fill,
                        "stroke": spec.style.stroke,
                        "stroke_width": spec.style.stroke_width,
                    },
                    "attribution": spec.attribution,
                    "licence": spec.licence,
                }
            )
        for ind in INDICATORS.values():
            if "ward" not in ind.levels or not _table_exists(cur, f"{ANALYSIS_SCHEMA}.{ind.table}"):
                continue
            cur.execute(
                sql.SQL(load_sql("api_config", "map_indicator_vintages")).format(
                    table=sql.Identifier(ANALYSIS_SCHEMA, ind.table)
                )
            )
            vintages = [int(r[0]) for r in cur.fetchall()]
            if vintages:
                indicators.append(
                    {
                        "id": ind.id,
                        "title_vi": ind.title_vi,
                        "title_en": ind.title_en,
                        "unit": ind.unit,
                        "unit_en": ind.unit,
                        "unit_vi": unit_vi(ind.unit),
                        "value_column": ind.value_column,
                        "vintages": vintages,
                        **map_meta(cur, ind),
                        "classes": indicator_classes(cur, ind),  # api_config.styling: one classification
                    }
                )
    return {"api": api_url, "layers": layers, "indicators": indicators, **extras(engine)}


def write_meta(engine: Engine, api_url: str, folder: Path) -> Path:
    path = folder / "map-meta.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(build_meta(engine, api_url), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


@blueprint.route("/map", strict_slashes=True)
def no_slash() -> ResponseReturnValue:
    """``/map`` → ``/map/`` (the page's relative asset URLs resolve under ``/map/``)."""
    query = request.query_string.decode("latin-1")
    return redirect("/map/" + (f"?{query}" if query else ""), code=308)


@blueprint.route("/map/")
def index() -> ResponseReturnValue:
    meta_path = os.environ.get(META_ENV)
    return send_index(STATIC_DIR / "index.html", Path(meta_path) if meta_path else None)


@blueprint.route("/map/meta.json")
def meta() -> ResponseReturnValue:
    path = os.environ.get(META_ENV)
    if not path or not Path(path).is_file():
        abort(503, description="map metadata not generated: run `dothi api config`")
    return send_from_directory(Path(path).parent, Path(path).name, mimetype="application/json")


@blueprint.route("/map/vendor/<name>")
def vendor(name: str) -> ResponseReturnValue:
    path = VENDOR_FILES.get(name)
    if path is None:
        abort(404)
    if not path.is_file():
        abort(503, description="web libraries not installed: run `make` (npm ci in api_config/web)")
    return send_static(path)


@blueprint.route("/map/<path:name>")
def static_file(name: str) -> ResponseReturnValue:
    path = (STATIC_DIR / name).resolve()
    if STATIC_DIR.resolve() not in path.parents:
        abort(404)
    return send_static(path)
