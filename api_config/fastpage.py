"""A lean path for pages of features: ``GET /collections/{id}/items?f=json`` (issue 15).

pygeoapi's path asks the provider for the page as Python objects (psycopg2 decodes the JSON that
PostgreSQL built: a quarter of the worker's time on a page of 1,000) and encodes them again
(:func:`pygeoapi.util.to_json`, a third).  Here PostgreSQL writes the features array as text
(:meth:`api_config.providers.postgis.PostGISProvider.page_text`, statement ``items_text.sql``) and
the FeatureCollection around it — ``numberMatched``, ``numberReturned``, pygeoapi's links with
their titles, ``timeStamp`` — is written around that text, with no JSON decoded or encoded.

The plain case only: ``f=json`` given once, each parameter at most once, only ``limit``,
``offset``, ``bbox`` (4 numbers, default CRS), ``properties`` and property filters on the
collection's own fields; no ``lang`` parameter nor ``Accept-Language`` header; a collection served
by dothi's PostGIS provider.  Every other request — and any request pygeoapi would refuse (a bad
``limit``, ``offset``, ``bbox`` or property value: pygeoapi's own error document) — goes to
pygeoapi.  The parsed response is pygeoapi's (status, headers but ``Date`` and the length, body
but ``timeStamp``); a test compares both for every published collection.  Responses carry
``X-Dothi-Path: lean``; a request carrying ``X-Dothi-Path: pygeoapi`` takes pygeoapi's path.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from pygeoapi import api as pygeoapi_api
from pygeoapi import l10n
from pygeoapi.api import evaluate_limit, itemtypes, validate_bbox
from pygeoapi.crs import DEFAULT_STORAGE_CRS, set_content_crs_header
from pygeoapi.formats import F_GZIP, F_HTML, F_JSON, F_JSONLD, FORMAT_TYPES
from pygeoapi.provider.base import ProviderGenericError
from pygeoapi.util import get_dataset_formatters

from api_config.fastitem import BYPASS_HEADER, Response, _finish, _LeanPath
from api_config.providers.postgis import PostGISProvider

_PAGE = re.compile(r"^/collections/([^/]+)/items$")
#: Parameters the lean path understands; any other standard parameter goes to pygeoapi.
_OWN = {"f", "limit", "offset", "bbox", "properties"}
#: pygeoapi's reserved names (itemtypes.get_collection_items): never property filters.
_RESERVED = {
    "bbox", "bbox-crs", "crs", "f", "lang", "limit", "offset", "resulttype", "datetime", "sortby",
    "properties", "skipGeometry", "q", "filter", "filter-lang", "filter-crs",
}  # fmt: skip


class _Request:
    """The validated parameters of a plain page request, as pygeoapi would use them."""

    def __init__(self, params: list[tuple[str, str]], offset: int, limit: int) -> None:
        self.params = params
        self.offset = offset
        self.limit = limit
        self.bbox: list[float] = []
        self.select: list[str] = []
        self.filters: list[tuple[str, str]] = []


class FastPages(_LeanPath):
    """Pages of features of dothi's PostGIS collections, written without JSON decode/encode."""

    provider_type = "feature"
    provider_class = PostGISProvider

    def __init__(self, api: Any, *, cors: bool) -> None:
        super().__init__(api, cors=cors)
        self.collections = {k: v for k, v in self.collections.items() if not v.get("uri_field")}
        self.locale = l10n.str2locale(api.locales[0])
        self.formatters = {
            cid: get_dataset_formatters(api.config["resources"][cid]) for cid in self.collections
        }

    def respond(self, environ: dict[str, Any]) -> Response | None:
        """The response, or None when pygeoapi must answer."""
        match = _PAGE.match(environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "GET"
            or BYPASS_HEADER in environ
            or "HTTP_ACCEPT_LANGUAGE" in environ
            or match.group(1) not in self.collections
            or self.api.pretty_print
        ):
            return None
        dataset = match.group(1)
        request = self._parse(dataset, environ.get("QUERY_STRING", ""))
        if request is None:
            return None
        try:
            page = self._provider(dataset).page_text(
                offset=request.offset,
                limit=request.limit,
                bbox=request.bbox,
                properties=request.filters,
                select_properties=request.select,
            )
        except ProviderGenericError:
            return None  # pygeoapi renders the error document
        return self._document(environ, dataset, request, page)

    # -- parameters, checked as pygeoapi checks them -----------------------------------------------
    def _parse(self, dataset: str, query: str) -> _Request | None:
        params = parse_qsl(query, keep_blank_values=True)
        names = [k for k, _ in params]
        values = dict(params)
        provider = self._provider(dataset)
        if (
            values.get("f") != F_JSON
            or len(set(names)) != len(names)
            or any(k in _RESERVED and k not in _OWN for k in names)
            or any(k not in _RESERVED and k not in provider.fields for k in names)
        ):
            return None
        try:
            offset = int(values.get("offset", "0"))
            resource = self.api.config["resources"][dataset]
            limit = evaluate_limit(
                values.get("limit"), self.api.config["server"].get("limits", {}), resource.get("limits", {})
            )
        except ValueError:
            return None
        if offset < 0:
            return None
        request = _Request(params, offset, limit)
        if "bbox" in values and not self._bbox(request, values["bbox"], dataset):
            return None
        if "properties" in values:
            request.select = values["properties"].split(",")
            if set(request.select) - (set(provider.properties) | set(provider.fields)):
                return None
        request.filters = [(k, v) for k, v in params if k not in _RESERVED]
        return request

    def _bbox(self, request: _Request, text: str, dataset: str) -> bool:
        try:
            bbox = validate_bbox(text)
        except ValueError:
            return False
        if len(bbox) != 4:
            return False
        storage = self.collections[dataset].get("storage_crs", DEFAULT_STORAGE_CRS)
        request.bbox = itemtypes.transform_bbox(bbox, DEFAULT_STORAGE_CRS, storage)
        return True

    # -- the document --------------------------------------------------------------------------
    def _document(
        self,
        environ: dict[str, Any],
        dataset: str,
        request: _Request,
        page: tuple[int | None, int, str],
    ) -> Response:
        matched, returned, features = page
        links = self._links(dataset, request, matched, returned)
        parts = ['{"type":"FeatureCollection","features":[', features, "]"]
        if matched is not None:
            parts.append(f',"numberMatched":{matched}')
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        parts.append(f',"numberReturned":{returned},"links":{_dumps(links)},"timeStamp":"{stamp}"}}')
        # pygeoapi's to_json escapes < and > in the whole document
        text = "".join(parts).replace("<", "&lt;").replace(">", "&gt;")
        headers: dict[str, str] = {**pygeoapi_api.HEADERS, **self.api.api_headers}
        headers["Content-Type"] = FORMAT_TYPES[F_JSON]
        set_content_crs_header(headers, self.collections[dataset], None)
        plugin_locale = l10n.get_plugin_locale(self.collections[dataset], None)
        l10n.set_response_language(headers, plugin_locale, self.locale)
        body = text.encode("utf-8")
        if F_GZIP in FORMAT_TYPES and F_GZIP in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers["Content-Encoding"] = F_GZIP
            body = pygeoapi_api.compress(body)
        return _finish(headers, body, cors=self.cors)

    def _links(
        self, dataset: str, request: _Request, matched: int | None, returned: int
    ) -> list[dict[str, str]]:
        """pygeoapi's links of a page (itemtypes.get_collection_items), in its order."""
        locale, offset, limit = self.locale, request.offset, request.limit
        query = "".join(
            f"&{urllib.parse.quote(k, safe='')}={urllib.parse.quote(str(v), safe=',')}"
            for k, v in request.params
            if k not in ("f", "offset")
        )
        uri = f"{self.api.get_collections_url()}/{dataset}/items"
        links = [
            {
                "type": "application/geo+json",
                "rel": "self",
                "title": l10n.translate("This document as GeoJSON", locale),
                "href": f"{uri}?f={F_JSON}{query}",
            },
            {
                "rel": "alternate",
                "type": FORMAT_TYPES[F_JSONLD],
                "title": l10n.translate("This document as RDF (JSON-LD)", locale),
                "href": f"{uri}?f={F_JSONLD}{query}",
            },
            {
                "type": FORMAT_TYPES[F_HTML],
                "rel": "alternate",
                "title": l10n.translate("This document as HTML", locale),
                "href": f"{uri}?f={F_HTML}{query}",
            },
        ]
        for key, value in self.formatters[dataset].items():
            links.append(
                {
                    "type": value.mimetype,
                    "rel": "alternate",
                    "title": f"This document as {key}",
                    "href": f"{uri}?f={value.name}{query}",
                }
            )
        more = (matched if matched is not None else -1) > limit + offset or returned == limit
        if offset > 0:
            links.append(
                {
                    "type": "application/geo+json",
                    "rel": "prev",
                    "title": l10n.translate("Items (prev)", locale),
                    "href": f"{uri}?f={F_JSON}&offset={max(0, offset - limit)}{query}",
                }
            )
        if more:
            links.append(
                {
                    "type": "application/geo+json",
                    "rel": "next",
                    "title": l10n.translate("Items (next)", locale),
                    "href": f"{uri}?f={F_JSON}&offset={offset + limit}{query}",
                }
            )
        title = self.api.config["resources"][dataset]["title"]
        links.append(
            {
                "type": FORMAT_TYPES[F_JSON],
                "title": l10n.translate(title, locale),
                "rel": "collection",
                "href": "/".join(uri.split("/")[:-1]),
            }
        )
        return links


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
