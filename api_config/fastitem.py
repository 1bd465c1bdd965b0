"""A lean path for the most frequent single-feature request: ``GET /collections/{id}/items/{fid}?f=json``.

pygeoapi's request handling (Flask dispatch, request parsing, a provider loaded per request, CRS
and locale negotiation) costs about 1.5 ms per single feature — more than the database query.  For
the plain case — ``f=json``, the default CRS, no ``lang`` parameter and no ``Accept-Language``
header, a collection served by dothi's PostGIS provider — this module builds the same document:
PostgreSQL writes the feature's text (``item_text.sql``: no JSON decoded or encoded here), closed
with pygeoapi's links (titles through :func:`pygeoapi.l10n.translate`, computed once per
collection) and the same headers, from a provider instance kept per worker.  Every other request,
and any error (an unknown id answers pygeoapi's own 404), goes to pygeoapi.

The response is pygeoapi's (status, headers but ``Date``, the parsed document and its member
order; the bytes may differ where JSON allows); a test compares both for each published
collection.  Its responses carry ``X-Dothi-Path: lean``; a request
carrying ``X-Dothi-Path: pygeoapi`` always takes pygeoapi's path.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from pygeoapi import api as pygeoapi_api
from pygeoapi import l10n
from pygeoapi.crs import set_content_crs_header
from pygeoapi.formats import F_GZIP, F_HTML, F_JSON, F_JSONLD, FORMAT_TYPES
from pygeoapi.plugin import load_plugin
from pygeoapi.provider.base import ProviderGenericError
from pygeoapi.provider.tile import ProviderTileNotFoundError
from pygeoapi.util import to_json

from api_config.providers.mvt import PostGISTileProvider
from api_config.providers.postgis import PostGISProvider

_PATH = re.compile(r"^/collections/([^/]+)/items/([^/]+)$")
_TILE = re.compile(r"^/collections/([^/]+)/tiles/(WebMercatorQuad)/(\d{1,2})/(\d{1,8})/(\d{1,8})$")
#: Request header sending a request through pygeoapi (used to compare both paths).
BYPASS_HEADER = "HTTP_X_DOTHI_PATH"

Response = tuple[str, list[tuple[str, str]], bytes]


class _LeanPath:
    """What both lean paths share: the collections served by one dothi provider class, and one
    provider instance per collection and worker (pygeoapi loads a new one per request)."""

    provider_type = ""
    provider_class: type[Any] = object

    def __init__(self, api: Any, *, cors: bool) -> None:
        self.api = api
        self.cors = cors
        name = f"{self.provider_class.__module__}.{self.provider_class.__name__}"
        self.collections: dict[str, dict[str, Any]] = {}
        for cid, resource in api.config["resources"].items():
            found = [p for p in resource.get("providers", []) if p.get("type") == self.provider_type]
            if resource.get("type") == "collection" and found and found[0].get("name") == name:
                self.collections[cid] = found[0]
        self._providers: dict[str, Any] = {}

    def _provider(self, name: str) -> Any:
        provider = self._providers.get(name)
        if provider is None:
            provider = self._providers[name] = load_plugin("provider", self.collections[name])
        return provider


class FastItems(_LeanPath):
    """Single features of dothi's PostGIS collections, answered without pygeoapi's machinery."""

    provider_type = "feature"
    provider_class = PostGISProvider

    def __init__(self, api: Any, *, cors: bool) -> None:
        super().__init__(api, cors=cors)
        self.default_locale = l10n.str2locale(api.locales[0])
        self.collections = {k: v for k, v in self.collections.items() if not v.get("uri_field")}
        self._shared: dict[str, tuple[str, list[str], dict[str, str]]] = {}

    def _plain_request(self, environ: dict[str, Any]) -> tuple[str, str] | None:
        """``(collection, id)`` when the request is the plain case this path answers."""
        match = _PATH.match(environ.get("PATH_INFO", ""))
        plain = (
            match is not None
            and environ.get("REQUEST_METHOD") == "GET"
            and BYPASS_HEADER not in environ
            and "HTTP_ACCEPT_LANGUAGE" not in environ
            and match.group(1) in self.collections
            and match.group(2).isascii()  # WSGI paths are latin-1 decoded, Flask's UTF-8
            and parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True) == [("f", F_JSON)]
        )
        return (match.group(1), match.group(2)) if plain and match else None

    def respond(self, environ: dict[str, Any]) -> Response | None:
        """The response, or None when pygeoapi must answer."""
        found = self._plain_request(environ)
        if found is None:
            return None
        dataset, identifier = found
        try:
            feature = self._provider(dataset).get_text(identifier)
        except ProviderGenericError:
            return None  # pygeoapi renders the error document
        if feature is None:
            return None  # pygeoapi's 404
        return self._document(environ, dataset, identifier, feature)

    def _document(self, environ: dict[str, Any], dataset: str, identifier: str, feature: str) -> Response:
        """The feature's text (written by PostgreSQL) closed with its links; pygeoapi's
        :func:`~pygeoapi.util.to_json` escapes ``<`` and ``>`` in the whole document, so does this."""
        before, after, headers = self._fixed(dataset)
        links = json.dumps(identifier)[1:-1].join(after)  # the id as a JSON string's content
        text = f"{feature},{before}{links}}}".replace("<", "&lt;").replace(">", "&gt;")
        headers = dict(headers)
        body = text.encode("utf-8")
        if F_GZIP in FORMAT_TYPES and F_GZIP in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers["Content-Encoding"] = F_GZIP
            body = pygeoapi_api.compress(body)
        return _finish(headers, body, cors=self.cors)

    def _fixed(self, dataset: str) -> tuple[str, list[str], dict[str, str]]:
        """What every answer of ``dataset`` shares, computed once per worker: the ``"links"``
        member as text up to the first per-item ``href``, the rest split where each item's id goes
        (pygeoapi's links in its order, titles translated), and the headers."""
        fixed = self._shared.get(dataset)
        if fixed is not None:
            return fixed
        api, locale = self.api, self.default_locale
        base = f"{api.get_collections_url()}/{dataset}"
        title = api.config["resources"][dataset]["title"]
        mark = "\x00item\x00"  # where the item's id goes; never in a title or a URL
        uri = f"{base}/items/{mark}"
        links = [
            {
                "type": FORMAT_TYPES[F_JSON],
                "rel": "root",
                "title": l10n.translate("The landing page of this server as JSON", locale),
                "href": f"{api.base_url}?f={F_JSON}",
            },
            {
                "type": FORMAT_TYPES[F_HTML],
                "rel": "root",
                "title": l10n.translate("The landing page of this server as HTML", locale),
                "href": f"{api.base_url}?f={F_HTML}",
            },
            {
                "rel": "self",
                "type": "application/geo+json",
                "title": l10n.translate("This document as JSON", locale),
                "href": f"{uri}?f={F_JSON}",
            },
            {
                "rel": "alternate",
                "type": FORMAT_TYPES[F_JSONLD],
                "title": l10n.translate("This document as RDF (JSON-LD)", locale),
                "href": f"{uri}?f={F_JSONLD}",
            },
            {
                "rel": "alternate",
                "type": FORMAT_TYPES[F_HTML],
                "title": l10n.translate("This document as HTML", locale),
                "href": f"{uri}?f={F_HTML}",
            },
            {
                "rel": "collection",
                "type": FORMAT_TYPES[F_JSON],
                "title": l10n.translate(title, locale),
                "href": base,
            },
        ]
        text = '"links":' + to_json(links)
        marker = json.dumps(mark)[1:-1]
        head, *rest = text.split(marker)
        headers: dict[str, str] = {**pygeoapi_api.HEADERS, **api.api_headers}
        headers["Content-Type"] = FORMAT_TYPES[F_JSON]
        set_content_crs_header(headers, self.collections[dataset], None)
        l10n.set_response_language(headers, locale)
        fixed = self._shared[dataset] = (head, ["", *rest], headers)
        return fixed


class FastTiles(_LeanPath):
    """Vector tiles of dothi's PostGIS collections (``?f=mvt``), answered without pygeoapi's
    per-request machinery: the same headers and bytes as pygeoapi's tile endpoint.  Empty tiles
    (204), errors and every other request go to pygeoapi."""

    provider_type = "tile"
    provider_class = PostGISTileProvider

    def respond(self, environ: dict[str, Any]) -> Response | None:
        """The response, or None when pygeoapi must answer."""
        match = _TILE.match(environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "GET"
            or BYPASS_HEADER in environ
            or match.group(1) not in self.collections
            or parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True) != [("f", "mvt")]
        ):
            return None
        dataset, matrix, z, y, x = match.groups()
        definition = self.collections[dataset]
        provider = self._provider(dataset)
        try:
            tile = provider.get_tiles(
                layer=provider.get_layer(), tileset=matrix, z=z, y=y, x=x, format_=provider.format_type
            )
        except (ProviderTileNotFoundError, ProviderGenericError):
            return None
        if tile is None:
            return None  # pygeoapi answers 204 (the empty tile is cached: no second query)
        headers: dict[str, str] = {**pygeoapi_api.HEADERS, **self.api.api_headers}
        headers["Content-Type"] = definition["format"]["mimetype"]
        l10n.set_response_language(headers, pygeoapi_api.SYSTEM_LOCALE)
        body = tile
        if F_GZIP in FORMAT_TYPES and F_GZIP in environ.get("HTTP_ACCEPT_ENCODING", ""):
            headers["Content-Encoding"] = F_GZIP
            body = pygeoapi_api.compress(tile)
        return _finish(headers, body, cors=self.cors)


def _finish(headers: dict[str, str], body: bytes, *, cors: bool) -> Response:
    if cors:
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = "*"
    headers["Content-Length"] = str(len(body))
    headers["X-Dothi-Path"] = "lean"
    return "200 OK", list(headers.items()), body
