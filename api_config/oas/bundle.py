"""Inline remote ``$ref``s of an OpenAPI document from vendored copies (no network).

Each referenced fragment (a file, or a JSON pointer into one) becomes one entry of the document's
``components`` (``schemas``, ``responses`` or ``parameters``, by what it is) and every ``$ref`` to
it is rewritten to ``#/components/<section>/<name>``; references inside a vendored file are
followed the same way, relative to that file's URL, so recursive schemas (CQL2) stay finite.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import yaml

from gis.errors import ConfigError

VENDOR = Path(__file__).with_name("vendor")
_SECTIONS = ("schemas", "responses", "parameters")
_JSON_SCHEMA_ONLY = ("$dynamicAnchor", "$dynamicRef", "prefixItems")
_DROP = ("$schema", "$id", "$defs", "definitions")


def vendored_path(url: str) -> Path:
    """The vendored copy of ``url`` (``https://host/path`` → ``vendor/host/path``)."""
    scheme, _, rest = url.partition("://")
    path = (VENDOR / rest).resolve()
    if scheme not in ("http", "https") or VENDOR.resolve() not in path.parents or not path.is_file():
        raise ConfigError(
            f"The OpenAPI document references {url}, which is not vendored.",
            hint="Add the file under api_config/oas/vendor/ (see SOURCES.md there).",
        )
    return path


@cache
def _load(url: str) -> Any:
    text = vendored_path(url).read_text(encoding="utf-8")
    return json.loads(text) if url.endswith(".json") else yaml.safe_load(text)


def _pointer(document: Any, fragment: str) -> Any:
    node = document
    for raw in filter(None, fragment.split("/")):
        token = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _section(url: str, fragment: str) -> tuple[str, str]:
    """Where a fragment goes in ``components`` and its name there."""
    parts = [p for p in fragment.split("/") if p]
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(urldefrag(url)[0]).stem)
    if len(parts) >= 3 and parts[0] == "components" and parts[1] in _SECTIONS:
        return parts[1], f"{stem}.{parts[2]}"
    if parts:
        return "schemas", f"{stem}.{'.'.join(parts[1:] or parts)}"
    folders = Path(urldefrag(url)[0]).parts
    kind = next((s for s in ("responses", "parameters") if s in folders), "schemas")
    return kind, stem


def downgrade(node: Any) -> Any:
    """A JSON Schema 2020-12 fragment (CQL2) as an OpenAPI 3.0 schema: ``$dynamicRef`` becomes a
    ``$ref`` to the document's root (the only anchor CQL2 declares), ``prefixItems`` an ``anyOf``
    of the items (looser: OpenAPI 3.0 has no tuples), ``$dynamicAnchor`` goes."""
    if isinstance(node, list):
        return [downgrade(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: downgrade(v) for k, v in node.items() if k not in _JSON_SCHEMA_ONLY}
    if "$dynamicRef" in node:
        out["$ref"] = "#"
    if "prefixItems" in node:
        items = out.get("items")
        out.pop("items", None)
        out["items"] = {"anyOf": downgrade(node["prefixItems"])}
        if isinstance(items, dict):
            out["items"]["anyOf"].append(items)
    return out


class Bundler:
    """Collects remote fragments into ``document['components']``."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = document.setdefault("components", {})
        self.names: dict[str, tuple[str, str]] = {}  # absolute URL#fragment → (section, name)

    def run(self) -> dict[str, Any]:
        self._rewrite(self.document, base=None)
        return self.document

    def _rewrite(self, node: Any, base: str | None) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and (base is not None or not ref.startswith("#")):
                node["$ref"] = self._local(urljoin(base or "", ref))
            for key, value in list(node.items()):
                if key != "$ref":
                    self._rewrite(value, base)
        elif isinstance(node, list):
            for value in list(node):
                self._rewrite(value, base)

    def _local(self, target: str) -> str:
        """The local ``$ref`` for an absolute ``url#fragment`` (copying the fragment once)."""
        url, fragment = urldefrag(target)
        target = f"{url}#{fragment}"
        if target not in self.names:
            section, name = _section(url, fragment)
            taken = set(self.components.get(section, {}))
            unique, n = name, 1
            while unique in taken:
                n += 1
                unique = f"{name}.{n}"
            self.names[target] = (section, unique)
            node = copy.deepcopy(_pointer(_load(url), fragment))
            if isinstance(node, dict):
                for key in _DROP:
                    node.pop(key, None)
            if url.endswith(".json"):
                node = downgrade(node)
            self.components.setdefault(section, {})[unique] = node
            self._rewrite(node, base=url)
        section, name = self.names[target]
        return f"#/components/{section}/{name}"


def bundle(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with every remote ``$ref`` inlined from the vendored schemas (in place)."""
    return Bundler(document).run()
