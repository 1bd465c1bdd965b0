"""Units of measure in Vietnamese: one table for every unit the indicator registry and the layer
catalog use, so titles, legends and the web map speak the reader's language (``?lang=vi``).

Symbols that read the same in both languages (``%``, ``km²``, ``m``) map to themselves; the test
``tests/analysis/test_units.py`` fails when a unit used anywhere has no entry.

Examples
--------
>>> unit_vi("people/km²")
'người/km²'
>>> unit_vi("%")
'%'
"""

from __future__ import annotations

#: English unit → Vietnamese unit.
UNITS_VI: dict[str, str] = {
    "%": "%",
    "%/year": "%/năm",
    "0–1": "0–1",
    "0–3": "0–3",
    "1/km²": "1/km²",
    "FAR": "hệ số sử dụng đất",
    "beds": "giường",
    "beds/1,000": "giường/1.000 dân",
    "beds/1,000 people": "giường/1.000 dân",
    "ha": "ha",
    "ha/100,000 people": "ha/100.000 dân",
    "index 0–1": "chỉ số 0–1",
    "intersections/km²": "giao lộ/km²",
    "km": "km",
    "km/km²": "km/km²",
    "km²": "km²",
    "m": "m",
    "m²": "m²",
    "departures/day": "chuyến/ngày",
    "floors": "tầng",
    "households": "hộ",
    "min": "phút",
    "minutes": "phút",
    "mm": "mm",
    "m³/s": "m³/s",
    "pupils": "học sinh",
    "years": "năm",
    "people/km²": "người/km²",
    "persons": "người",
    "ratio": "tỷ số",
    "seats/child": "chỗ học/trẻ",
    "z": "điểm z",
    "z-score sum": "tổng điểm z",
}


def unit_vi(unit: str) -> str:
    """The Vietnamese form of ``unit`` (the unit itself when it has none)."""
    return UNITS_VI.get(unit, unit)
