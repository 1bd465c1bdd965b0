"""OGC API – Styles (the read part) for dothi, as a Flask blueprint beside pygeoapi (which has none).

* ``GET /styles`` — the dataset's styles (``default``: the main layers and the density choropleth);
* ``GET /styles/{styleId}?f=mapbox`` — a dataset style (MapLibre / Mapbox GL style JSON);
* ``GET /collections/{id}/styles`` — the styles of a collection (``default``);
* ``GET /collections/{id}/styles/{styleId}?f=mapbox|qml|sld`` — the stylesheet (MapLibre style,
  QGIS QML, SLD 1.1); without ``f`` the MapLibre style.

Unknown collection or style → 404, an unsupported ``f`` or an unknown parameter → 400, each naming
what was wrong, in Vietnamese and English.  The documents come from ``styles.json``
(:mod:`api_config.styling.document`), written with the pygeoapi configuration; its folder is the
configuration's (``PYGEOAPI_CONFIG``).  :func:`register` also links collections and tilesets to their
styles (``rel=http://www.opengis.net/def/rel/ogc/1.0/styles`` and ``describedby``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pygeoapi.api as core_api
import pygeoapi.api.tiles as tiles_api
from flask import Blueprint, Flask, Response, request

from api_config.styling.document import DEFAULT_STYLE, FILE_NAME
from api_config.styling.encode import MAPBOX_MEDIA, QML_MEDIA, SLD_MEDIA

blueprint = Blueprint("dothi_styles", __name__)
STYLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/styles"
FORMATS = {"mapbox": MAPBOX_MEDIA, "qml": QML_MEDIA, "sld": SLD_MEDIA}
_EXTENSIONS = {"mapbox": "json", "qml": "qml", "sld": "sld"}
_PARAMS = {"f", "lang"}
_cache: dict[str, Any] = {"mtime": None, "doc": None}


def styles_path() -> Path | None:
    config = os.environ.get("PYGEOAPI_CONFIG")
    return Path(config).parent / FILE_NAME if config else None


def document() -> dict[str, Any] | None:
    """``styles.json``, read again when it changes."""
    path = styles_path()
    if path is None or not path.is_file():
        return None
    mtime = path.stat().st_mtime_ns
    if _cache["mtime"] != mtime:
        _cache["doc"], _cache["mtime"] = json.loads(path.read_text(encoding="utf-8")), mtime
    doc: dict[str, Any] = _cache["doc"]
    return doc


def _json(body: Any, status: int = 200, media: str = "application/json") -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=media)


def _error(status: HTTPStatus, vi: str, en: str) -> Response:
    code = "NotFound" if status == HTTPStatus.NOT_FOUND else "InvalidParameterValue"
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        code = "ServiceUnavailable"
    return _json({"code": code, "type": code, "description": f"{vi} / {en}"}, int(status))


def _check_params(allowed: set[str]) -> Response | None:
    extra = sorted(set(request.args) - allowed)
    if extra:
        names = ", ".join(map(repr, extra))
        return _error(
            HTTPStatus.BAD_REQUEST,
            f"Tham số không được hỗ trợ: {names}; được phép: f, lang",
            f"Unknown query parameter(s) {names}; allowed: f, lang",
        )
    return None


def _format(default: str, offered: tuple[str, ...]) -> str | Response:
    f = request.args.get("f", default)
    if f not in offered:
        return _error(
            HTTPStatus.BAD_REQUEST,
            f"Tham số 'f': {f!r} không phải là một trong {', '.join(offered)}",
            f"Parameter 'f': {f!r} is not one of {', '.join(offered)}",
        )
    return f


def _base() -> str:
    doc = document() or {}
    return str(doc.get("api") or request.host_url.rstrip("/"))


def _stylesheet_links(href: str, formats: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"rel": "stylesheet", "type": FORMATS[f], "title": f, "href": f"{href}?f={f}"} for f in formats]


def _unavailable() -> Response:
    return _error(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "Chưa tạo kiểu hiển thị: chạy `dothi api config`",
        "Styles not generated: run `dothi api config`",
    )


@blueprint.route("/styles")
def dataset_styles() -> Response:
    doc = document()
    if doc is None:
        return _unavailable()
    bad = _check_params(_PARAMS) or _format("json", ("json",))
    if isinstance(bad, Response):
        return bad
    base = _base()
    styles = [
        {
            "id": sid,
            "title": style.get("name", sid),
            "links": _stylesheet_links(f"{base}/styles/{sid}", ("mapbox",)),
        }
        for sid, style in doc["dataset"].items()
    ]
    links = [{"rel": "self", "type": "application/json", "href": f"{base}/styles?f=json"}]
    return _json({"default": DEFAULT_STYLE, "styles": styles, "links": links})


@blueprint.route("/styles/<style_id>")
def dataset_style(style_id: str) -> Response:
    doc = document()
    if doc is None:
        return _unavailable()
    bad = _check_params(_PARAMS) or _format("mapbox", ("mapbox",))
    if isinstance(bad, Response):
        return bad
    style = doc["dataset"].get(style_id)
    if style is None:
        return _error(
            HTTPStatus.NOT_FOUND,
            f"Không có kiểu hiển thị {style_id!r}",
            f"No style {style_id!r}; see /styles",
        )
    return _json(style, media=MAPBOX_MEDIA)


def _collection(cid: str) -> dict[str, Any] | Response:
    doc = document()
    if doc is None:
        return _unavailable()
    entry = doc["collections"].get(cid)
    if entry is None:
        return _error(
            HTTPStatus.NOT_FOUND,
            f"Lớp {cid!r} không có kiểu hiển thị (không tồn tại hoặc chưa có dữ liệu)",
            f"Collection {cid!r} has no styles (unknown, or holds no data); see /collections",
        )
    return entry


@blueprint.route("/collections/<cid>/styles")
def collection_styles(cid: str) -> Response:
    entry = _collection(cid)
    if isinstance(entry, Response):
        return entry
    bad = _check_params(_PARAMS) or _format("json", ("json",))
    if isinstance(bad, Response):
        return bad
    base = _base()
    href = f"{base}/collections/{cid}/styles/{DEFAULT_STYLE}"
    body = {
        "default": DEFAULT_STYLE,
        "styles": [
            {
                "id": DEFAULT_STYLE,
                "title": f"{entry['title_vi']} / {entry['title_en']}",
                "classification": entry.get("classification"),
                "links": _stylesheet_links(href, tuple(FORMATS)),
            }
        ],
        "links": [
            {"rel": "self", "type": "application/json", "href": f"{base}/collections/{cid}/styles?f=json"},
            {"rel": "collection", "type": "application/json", "href": f"{base}/collections/{cid}?f=json"},
        ],
    }
    return _json(body)


@blueprint.route("/collections/<cid>/styles/<style_id>")
def collection_style(cid: str, style_id: str) -> Response:
    entry = _collection(cid)
    if isinstance(entry, Response):
        return entry
    f = _check_params(_PARAMS) or _format("mapbox", tuple(FORMATS))
    if isinstance(f, Response):
        return f
    if style_id != DEFAULT_STYLE:
        return _error(
            HTTPStatus.NOT_FOUND,
            f"Lớp {cid!r} không có kiểu {style_id!r} (chỉ có {DEFAULT_STYLE!r})",
            f"Collection {cid!r} has no style {style_id!r} (only {DEFAULT_STYLE!r})",
        )
    if f == "mapbox":
        return _json(entry["mapbox"], media=MAPBOX_MEDIA)
    response = Response(entry[f], mimetype=FORMATS[f].split(";", 1)[0])
    response.headers["Content-Type"] = FORMATS[f] + "; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{cid}.{_EXTENSIONS[f]}"'
    return response


# --- links from pygeoapi's collections and tilesets -----------------------------------------------


def style_links(cid: str, base: str) -> list[dict[str, str]]:
    href = f"{base}/collections/{cid}/styles"
    return [
        {"rel": STYLES_REL, "type": "application/json", "title": "Kiểu hiển thị / Styles",
         "href": f"{href}?f=json"},
        {"rel": "describedby", "type": MAPBOX_MEDIA, "title": "Kiểu mặc định / Default style (MapLibre)",
         "href": f"{href}/{DEFAULT_STYLE}?f=mapbox"},
    ]  # fmt: skip


def _add_links(body: dict[str, Any], cid: str, base: str) -> None:
    links = body.setdefault("links", [])
    if not any(link.get("rel") == STYLES_REL for link in links):
        links.extend(style_links(cid, base))


def _linked(original: Callable[..., Any], kind: str) -> Callable[..., Any]:
    def wrapper(api: Any, api_request: Any, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
        headers, status, content = original(api, api_request, *args, **kwargs)
        doc = document()
        if (
            status != HTTPStatus.OK
            or doc is None
            or not isinstance(content, str)
            or not content.startswith("{")
        ):
            return headers, status, content
        body = json.loads(content)
        styled, base = doc["collections"], str(doc["api"])
        if kind == "collections" and "collections" in body:
            for coll in body["collections"]:
                if coll.get("id") in styled:
                    _add_links(coll, coll["id"], base)
        elif body.get("id") in styled or (args and args[0] in styled):
            cid = str(body.get("id") if body.get("id") in styled else args[0])
            _add_links(body, cid, base)
            for tileset in body.get("tilesets", []):
                _add_links(tileset, cid, base)
        return headers, status, json.dumps(body, ensure_ascii=False)

    wrapper.__wrapped__ = original  # type: ignore[attr-defined]
    return wrapper


def register(app: Flask) -> None:
    """Serve the styles and link collections and tilesets to them."""
    app.register_blueprint(blueprint)
    if not hasattr(core_api.describe_collections, "__wrapped__"):
        core_api.describe_collections = _linked(core_api.describe_collections, "collections")
        tiles_api.get_collection_tiles = _linked(tiles_api.get_collection_tiles, "tiles")
        tiles_api.get_collection_tiles_metadata = _linked(tiles_api.get_collection_tiles_metadata, "tiles")
