"""The WSGI application ``dothi serve`` runs: pygeoapi's Flask app behind a request guard, plus
dothi's public web map at ``/map`` (:mod:`api_config.webmap`).

pygeoapi (0.24) silently ignores some parameters it does not understand and parses ``filter``
only as CQL2 text on GET.  The guard closes those gaps before pygeoapi sees the request:

* ``filter`` is parsed up front (CQL2 text, or CQL2 JSON with ``filter-lang=cql2-json``); a parse
  error is a 400 naming the parameter and the position;
* ``skipGeometry`` must be ``true`` or ``false``;
* single-item requests accept only ``f``, ``lang`` and ``crs``.

Unknown parameters on ``/items`` are refused by the provider
(:mod:`api_config.providers.postgis`).  ``/conformance`` lists only the filter classes the
provider really implements (:data:`api_config.providers.cql.FILTER_CONFORMANCE`).

Around it, :mod:`api_config.guard`: malformed input (types, UTF-8, bodies) is refused first, an
unreachable database answers 503, and every response gets true ``Content-Encoding`` and the
security headers.  :class:`api_config.limits.middleware.Limits` bounds every request (body size,
execution rate per client, time budget of the database work; settings ``DOTHI_API_*`` from the
environment), and :mod:`api_config.security` authenticates (API keys) and answers CORS.

Requires ``PYGEOAPI_CONFIG`` and ``PYGEOAPI_OPENAPI`` in the environment (set by ``dothi serve``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.util import request_uri

from dateutil.parser import isoparse
from pygeoapi import api as pygeoapi_api
from pygeoapi.api import itemtypes
from pygeoapi.flask_app import APP as FLASK_APP  # reads PYGEOAPI_CONFIG / PYGEOAPI_OPENAPI
from pygeoapi.flask_app import api_ as pygeoapi_instance
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text

from api_config import crscache
from api_config.assets import blueprint as assets_blueprint
from api_config.clients import install as install_client_fixes
from api_config.clients.scaled import ScaledCoverage
from api_config.config import LANGUAGES
from api_config.fastitem import FastItems, FastTiles
from api_config.fastpage import FastPages
from api_config.guard import logs, unavailable
from api_config.guard.accesslog import AccessLog
from api_config.guard.banner import hide_server_banner
from api_config.guard.compression import gzip_bytes
from api_config.guard.inputs import InputGuard
from api_config.guard.responses import ResponseGuard, origins
from api_config.limits.middleware import Limits, LimitSettings
from api_config.lookup.web import blueprint as lookup_blueprint
from api_config.providers.cql import FILTER_CONFORMANCE
from api_config.providers.tables import describe
from api_config.scenario_list import blueprint as scenarios_blueprint
from api_config.security.wiring import secure
from api_config.styling import endpoint as styles_endpoint
from api_config.webmap import blueprint as webmap_blueprint
from gis.settings import ApiSettings

_ITEMS = re.compile(r"^/collections/[^/]+/items/?$")
_ITEM = re.compile(r"^/collections/[^/]+/items/[^/]+$")
_ITEM_PARAMS = {"f", "lang", "crs"}
_BOOLEANS = {"true", "false", "True", "False", "1", "0"}
_NOT_OFFERED = (
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
)

_JSON_TYPES = ("application/json;", "application/geo+json;", "application/schema+json;")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def parse_filter(text: str, lang: str | None) -> Any:
    """Parse a ``filter`` value as CQL2 JSON (``filter-lang=cql2-json``, or text starting with ``{``)
    or CQL2 text; raises ValueError naming the parameter."""
    as_json = lang == "cql2-json" or (lang is None and text.lstrip().startswith("{"))
    try:
        return parse_cql2_json(text) if as_json else parse_cql2_text(text)
    except Exception as exc:
        kind = "CQL2 JSON" if as_json else "CQL2 text"
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"Parameter 'filter': not valid {kind}: {detail}") from exc


def _parse_any_cql2(text: str) -> Any:
    """pygeoapi calls this for GET ``filter``: accept CQL2 JSON as well as CQL2 text."""
    return parse_filter(text, None)


def check(path: str, method: str, query: str) -> str | None:
    """The reason a request is refused, or None."""
    params = parse_qsl(query, keep_blank_values=True)
    reason = _check_characters(params) or _check_language(params)
    if reason or method != "GET":
        return reason
    if _ITEM.match(path):
        return _check_item(sorted({k for k, _ in params} - _ITEM_PARAMS))
    if _ITEMS.match(path):
        return _check_items(dict(params))
    return None


def _check_characters(params: list[tuple[str, str]]) -> str | None:
    """NUL cannot be stored in PostgreSQL text nor sent as a literal: refuse it up front."""
    for name, value in params:
        if "\x00" in name or "\x00" in value:
            shown = name.replace("\x00", "\\0")
            return f"Parameter {shown!r}: contains a NUL character (%00), which is not allowed."
    return None


def _check_language(params: list[tuple[str, str]]) -> str | None:
    """``lang`` must name a language the server speaks (pygeoapi would silently fall back)."""
    for name, value in params:
        if name == "lang" and value.split("-", 1)[0].lower() not in LANGUAGES:
            return f"Parameter 'lang': {value!r} is not one of {', '.join(LANGUAGES)}."
    return None


def _check_item(extra: list[str]) -> str | None:
    if not extra:
        return None
    return (
        f"Unknown query parameter(s) {', '.join(map(repr, extra))} for a single feature; "
        f"allowed: {', '.join(sorted(_ITEM_PARAMS))}."
    )


def _check_items(values: dict[str, str]) -> str | None:
    if "skipGeometry" in values and values["skipGeometry"] not in _BOOLEANS:
        return f"Parameter 'skipGeometry': {values['skipGeometry']!r} is not true or false."
    if "datetime" in values:
        reason = _check_datetime(values["datetime"])
        if reason:
            return reason
    lang = values.get("filter-lang")
    if lang not in (None, "cql2-text", "cql2-json"):
        return f"Parameter 'filter-lang': {lang!r} is not one of cql2-text, cql2-json."
    if "filter" in values:
        try:
            parse_filter(values["filter"], lang)
        except ValueError as exc:
            return str(exc)
    return None


def _check_datetime(value: str) -> str | None:
    parts = value.split("/") if "/" in value else [value]
    for part in parts:
        if len(parts) == 2 and part in ("", ".."):
            continue
        try:
            isoparse(part)
        except ValueError:
            return (
                f"Parameter 'datetime': {value!r} is not an RFC 3339 date-time or interval "
                "(e.g. 2019-04-01T00:00:00Z, 2019-01-01/2020-12-31 or 2019-01-01/..)."
            )
    if len(parts) > 2:
        return f"Parameter 'datetime': {value!r} has more than one '/'."
    return None


class RequestGuard:
    """WSGI middleware refusing bad parameters with an OGC exception (HTTP 400), and answering
    plain single-feature requests itself (:mod:`api_config.fastitem`)."""

    def __init__(
        self, app: WsgiApp, lean: Iterable[FastItems | FastPages | FastTiles | ScaledCoverage] = ()
    ) -> None:
        self.app = app
        self.lean = tuple(lean)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        reason = check(
            environ.get("PATH_INFO", ""),
            environ.get("REQUEST_METHOD", "GET"),
            environ.get("QUERY_STRING", ""),
        )
        if reason is None:
            for path in self.lean:
                answer = path.respond(environ)
                if answer is not None:  # the lean paths write bare media types already
                    status, headers, data = answer
                    link = _link_header(environ)
                    start_response(status, [*headers, ("Link", link)] if link else headers)
                    return [data]
            return self.app(environ, _plain_json(start_response, _link_header(environ)))
        body = json.dumps(
            {"code": "InvalidParameterValue", "type": "InvalidParameterValue", "description": reason}
        )
        data = body.encode("utf-8")
        start_response(
            "400 Bad Request",
            [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))],
        )
        return [data]


def _link_header(environ: dict[str, Any]) -> str | None:
    """``Link`` header (RFC 8288) for ``/items`` GeoJSON responses: self and the alternates."""
    path = environ.get("PATH_INFO", "")
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not _ITEMS.match(path):
        return None
    url = request_uri(environ, include_query=False)
    queryables = url.rstrip("/").rsplit("/", 1)[0] + "/queryables"
    return ", ".join(
        f'<{href}?f={f}>; rel="{rel}"; type="{media}"'
        for href, f, rel, media in (
            (url, "json", "self", "application/geo+json"),
            (url, "html", "alternate", "text/html"),
            (url, "csv", "alternate", "text/csv"),
            (
                queryables,
                "json",
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "application/schema+json",
            ),
        )
    )


def _plain_json(start_response: StartResponse, link: str | None = None) -> StartResponse:
    """pygeoapi adds ``; charset=utf-8`` to JSON when it gzips; JSON is UTF-8 by definition
    (RFC 8259) and strict clients (ogctests) expect the bare media type.  ``link`` is added as a
    ``Link`` header to successful JSON responses."""

    def wrapped(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        fixed = [
            (k, v.split(";", 1)[0] if k.lower() == "content-type" and v.startswith(_JSON_TYPES) else v)
            for k, v in headers
        ]
        if link and status.startswith("200"):
            fixed.append(("Link", link))
        return start_response(status, fixed, *exc_info)

    return wrapped


def _declare_conformance() -> None:
    classes = itemtypes.CONFORMANCE_CLASSES_FEATURES
    classes[:] = [c for c in classes if c not in _NOT_OFFERED]
    classes.extend(c for c in FILTER_CONFORMANCE if c not in classes)
    itemtypes.parse_cql2_text = _parse_any_cql2


def _use_sized_gzip() -> None:
    pygeoapi_api.compress = gzip_bytes


_QUERYABLES = itemtypes.get_collection_queryables


def titled_queryables(api: Any, request: Any, dataset: str) -> tuple[Any, ...]:
    """pygeoapi's queryables, with each property's title in the request's language (pygeoapi 0.24
    writes the column name) and both languages in its description."""
    headers, status, content = _QUERYABLES(api, request, dataset)
    if status != HTTPStatus.OK or not str(headers.get("Content-Type", "")).endswith("json"):
        return headers, status, content
    resource = api.config["resources"].get(dataset, {})
    options = next(
        (p.get("options") or {} for p in resource.get("providers", []) if p["type"] == "feature"), {}
    )
    if "kind" not in options:
        return headers, status, content
    fields = describe(options["kind"], options["name"]).fields
    body = json.loads(content)
    vietnamese = str(getattr(request, "locale", "vi")).startswith("vi")
    for name, prop in body.get("properties", {}).items():
        field = fields.get(name)
        if field is not None:
            prop["title"] = field.title_vi if vietnamese else field.title_en
            unit = f" [{field.unit}]" if field.unit else ""
            prop["description"] = f"{field.title_vi} / {field.title_en}{unit}"
    return headers, status, json.dumps(body, ensure_ascii=False)


def create_app() -> WsgiApp:
    """pygeoapi's Flask app (configured from the environment) behind :class:`RequestGuard`,
    authentication and CORS (:mod:`api_config.security`)."""
    _declare_conformance()
    crscache.install()
    itemtypes.get_collection_queryables = titled_queryables
    _use_sized_gzip()
    FLASK_APP.register_blueprint(webmap_blueprint)
    FLASK_APP.register_blueprint(assets_blueprint)
    styles_endpoint.register(FLASK_APP)  # OGC API – Styles (api_config.styling)
    cors = bool(pygeoapi_instance.config["server"].get("cors", False))
    install_client_fixes()  # api_config.clients: what GDAL, OWSLib and QGIS need from the answers
    lean = (
        FastItems(pygeoapi_instance, cors=cors),
        FastPages(pygeoapi_instance, cors=cors),
        FastTiles(pygeoapi_instance, cors=cors),
        ScaledCoverage(pygeoapi_instance, cors=cors),
    )
    unavailable.register(FLASK_APP)
    logs.configure()
    hide_server_banner()
    basemap = str(pygeoapi_instance.config["server"].get("map", {}).get("url") or "")
    settings = ApiSettings()
    FLASK_APP.register_blueprint(lookup_blueprint(pygeoapi_instance.config, settings))
    FLASK_APP.register_blueprint(scenarios_blueprint(pygeoapi_instance.config))  # GET /scenarios
    # outermost first: security headers and true Content-Encoding on every answer; CORS and
    # authentication (which sets the identity the rate limit counts under); the limits (the body
    # is bounded before anything reads it); malformed input; parameters; pygeoapi
    guarded = InputGuard(RequestGuard(FLASK_APP.wsgi_app, lean))
    limited = Limits(guarded, LimitSettings.from_api(settings))
    secured = secure(limited, pygeoapi_instance.config, settings)
    answered = ResponseGuard(secured, image_sources=origins(basemap))
    FLASK_APP.wsgi_app = AccessLog(answered) if settings.access_log else answered
    return FLASK_APP


APP = create_app()
