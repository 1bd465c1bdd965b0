"""The collections of an indicator: one per level and vintage (wards 2025 first), then the combined one.

``health_access-ward-2025`` (the one to open), ``health_access-ward-2019``, ``health_access-city``,
``health_access-grid`` read the rounded level views of :mod:`analysis.levels`; ``health_access``
(every level, full precision) stays for those who want it.  Only views that exist and hold rows are
published.  When the published results were computed from generated data, every one of these
collections says so in its title and description (:data:`layers.notices.SYNTHETIC_RESULT`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from analysis.levels import LevelView, published_views
from analysis.provenance import ResultProvenance, result_provenance
from analysis.registry import INDICATORS, IndicatorSpec
from layers.notices import SYNTHETIC_RESULT

if TYPE_CHECKING:
    from api_config.config import Published


def level_entry(item: Published, view: LevelView) -> Published:
    """The collection of one level view, derived from the indicator's combined collection."""
    return replace(
        item,
        id=view.collection_id,
        table=view.view,
        title={lang: f"{text} — {view.title(lang)}" for lang, text in item.title.items()},
        description={
            "vi": f"{view.title('vi').capitalize()}, giá trị đã làm tròn. {item.description['vi']}",
            "en": f"{view.title('en').capitalize()}, values rounded. {item.description['en']}",
        },
    )


def with_provenance(item: Published, provenance: ResultProvenance | None) -> Published:
    """``item`` with the synthetic-result notice in its title and description when it applies."""
    if provenance is None or not provenance.synthetic:
        return item
    inputs = ", ".join(provenance.synthetic_inputs)
    return replace(
        item,
        title={lang: f"{text} — {SYNTHETIC_RESULT[lang]}" for lang, text in item.title.items()},
        description={
            "vi": f"{SYNTHETIC_RESULT['vi']} (lớp tổng hợp: {inputs}). {item.description['vi']}",
            "en": f"{SYNTHETIC_RESULT['en']} (synthetic layers: {inputs}). {item.description['en']}",
        },
    )


def expand_levels(engine: Engine, items: Iterable[Published]) -> Iterator[Published]:
    """Every item; an indicator's level collections come just before its combined collection."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for item in items:
            if item.kind != "indicator" or item.id not in INDICATORS:
                yield item
                continue
            spec = INDICATORS[item.id]
            provenance = result_provenance(cur, spec)
            if provenance is not None:
                for view in published_views(cur, spec):
                    yield with_provenance(level_entry(item, view), provenance)
            yield with_provenance(item, provenance)


def map_meta(cur: Any, spec: IndicatorSpec) -> dict[str, Any]:
    """What the web map needs about an indicator's results beyond its titles (``meta.json``):
    whether they are synthetic and from which layers, and the ward collection of each vintage."""
    provenance = result_provenance(cur, spec)
    views = published_views(cur, spec) if provenance is not None else []
    return {
        "synthetic": bool(provenance and provenance.synthetic),
        "synthetic_inputs": list(provenance.synthetic_inputs) if provenance else [],
        "notice": dict(SYNTHETIC_RESULT) if provenance and provenance.synthetic else None,
        "collections": {str(v.vintage): v.collection_id for v in views if v.level == "ward"},
        "level_collections": {
            (f"ward-{v.vintage}" if v.vintage is not None else v.level): v.collection_id for v in views
        },
    }
