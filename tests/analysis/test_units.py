"""Every unit used by the indicator registry and the layer catalog has a Vietnamese form, and the
published titles use it (``?lang=vi``)."""

from __future__ import annotations

from analysis.registry import INDICATORS
from analysis.units import UNITS_VI, unit_vi
from api_config.config import candidates
from layers.catalog import LAYERS


def _units() -> set[str]:
    found = set()
    for spec in INDICATORS.values():
        found.add(spec.unit)
        found |= {c.unit for c in spec.result_columns if getattr(c, "unit", None)}
    for layer in LAYERS.values():
        found |= {a.unit for a in layer.attributes if getattr(a, "unit", None)}
    return found


def test_every_unit_has_a_vietnamese_form() -> None:
    missing = sorted(_units() - set(UNITS_VI))
    assert not missing, f"add these units to analysis/units.py: {missing}"


def test_words_are_translated_symbols_kept() -> None:
    assert unit_vi("people/km²") == "người/km²"
    assert unit_vi("%") == "%"
    english = {"people", "persons", "beds", "seats", "child", "intersections", "index", "ratio", "year"}
    for en, vi in UNITS_VI.items():
        assert not any(word in vi for word in english), (en, vi)


def test_indicator_titles_carry_the_unit_in_each_language() -> None:
    entries = {c.id: c for c in candidates() if c.kind == "indicator"}
    for spec in INDICATORS.values():
        title = entries[spec.id].title
        assert title["vi"].endswith(f"[{unit_vi(spec.unit)}]")
        assert title["en"].endswith(f"[{spec.unit}]")
