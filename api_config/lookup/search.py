"""Place search for the public map: ward, street, school, clinic and market names.

The names (a few thousand in a city) are read once per worker with ``sql/search_names.sql`` and kept
with an accent-free, lower-case key, rebuilt when a source table changes.  A query matches when every
word of it starts a word of the name, without accents ("truong le loi" finds "Trường Lê Lợi"); the
query never reaches SQL, so it cannot inject anything, and its length and the number of results are
bounded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from psycopg2 import sql

from api_config.lookup.place import LookupInputError
from api_config.lookup.walking import PACKAGE, Cached
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS

MAX_QUERY = 80
MAX_RESULTS = 20
DEFAULT_RESULTS = 8
KIND_ORDER = {"ward": 0, "street": 1, "school": 2, "clinic": 3, "market": 4}
SEARCH_LAYERS = ("admin_units", "roads", "schools", "health_facilities", "markets")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d): the key both names and queries are compared on.

    >>> fold("Trường THCS Lê Lợi, Phường 1 — Đạo")
    'truong thcs le loi, phuong 1 — dao'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


@dataclass(frozen=True)
class Place:
    kind: str
    name: str
    name_en: str | None
    vintage: int | None
    lon: float
    lat: float
    bbox: tuple[float, float, float, float] | None
    synthetic: bool
    words: tuple[str, ...]
    key: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "name_en": self.name_en,
            "vintage": self.vintage,
            "lon": round(self.lon, 6),
            "lat": round(self.lat, 6),
            "bbox": None if self.bbox is None else [round(v, 6) for v in self.bbox],
            "synthetic": self.synthetic,
        }


def _load(cur: Any) -> list[Place]:
    idents = {
        key: sql.Identifier(LAYERS[name].schema, LAYERS[name].table)
        for key, name in (
            ("admin", "admin_units"),
            ("roads", "roads"),
            ("schools", "schools"),
            ("clinics", "health_facilities"),
            ("markets", "markets"),
        )
    }
    cur.execute(sql.SQL(load_sql(PACKAGE, "search_names")).format(**idents))
    places = []
    for kind, name, name_en, vintage, x, y, x0, y0, x1, y1, synthetic in cur.fetchall():
        key = fold(f"{name} {name_en or ''}")
        places.append(
            Place(
                kind,
                name,
                name_en,
                vintage,
                float(x),
                float(y),
                None if x0 is None else (float(x0), float(y0), float(x1), float(y1)),
                bool(synthetic),
                tuple(_WORD.findall(key)),
                key,
            )
        )
    places.sort(key=lambda p: (KIND_ORDER.get(p.kind, 9), -(p.vintage or 0), len(p.name)))
    return places


PLACES = Cached(SEARCH_LAYERS, _load)


def parse_query(q: Any, limit: Any) -> tuple[list[str], int]:
    """The query's folded words and the result limit, or :class:`LookupInputError`."""
    if not isinstance(q, str) or not q.strip():
        raise LookupInputError("Thiếu tham số 'q' / Parameter 'q' is required.")
    if len(q) > MAX_QUERY:
        raise LookupInputError(
            f"Tham số 'q' dài quá {MAX_QUERY} ký tự / Parameter 'q' is longer than {MAX_QUERY} characters."
        )
    words = _WORD.findall(fold(q))
    if not words:
        raise LookupInputError("Tham số 'q' không có chữ nào / Parameter 'q' has no letters or digits.")
    if limit in (None, ""):
        return words, DEFAULT_RESULTS
    try:
        n = int(limit)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= MAX_RESULTS:
        raise LookupInputError(
            f"Tham số 'limit' phải từ 1 đến {MAX_RESULTS} / Parameter 'limit' must be 1 to {MAX_RESULTS}."
        )
    return words, n


def search(cur: Any, words: list[str], limit: int) -> list[dict[str, Any]]:
    """Places whose name has a word starting with each query word, wards and streets first."""
    found = []
    for place in PLACES.get(cur):
        if all(any(w.startswith(q) for w in place.words) for q in words):
            found.append(place.as_dict())
            if len(found) >= limit:
                break
    return found
