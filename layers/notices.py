"""The notices every client shows, in Vietnamese and English: one wording, used everywhere.

The API (collection descriptions, records), the QGIS project (layer abstracts, the print layout), the
web map (banner, legend) and the CLI all take their text from here, so a reader sees the same words
wherever a value derived from generated data, or a scenario, reaches them.
"""

from __future__ import annotations

#: A layer (or some of its features) holds generated data.
SYNTHETIC_DATA = {
    "vi": "Dữ liệu TỔNG HỢP (sinh tự động), không phải dữ liệu đo đạc",
    "en": "SYNTHETIC (generated) data, not measured",
}

#: A result computed from at least one input with generated data.
SYNTHETIC_RESULT = {
    "vi": "Tính từ dữ liệu tổng hợp — chỉ để minh hoạ, không dùng để ra quyết định",
    "en": "Computed from generated data — for demonstration, not for decisions",
}

#: A result of a scenario (a proposal), not of the city as it is.
SCENARIO_RESULT = {
    "vi": "Kết quả kịch bản (đề xuất) — không phải hiện trạng",
    "en": "Scenario result (a proposal) — not the current state",
}


def notice(kind: dict[str, str], lang: str) -> str:
    """The notice in ``lang`` (``vi`` or ``en``), falling back to both languages for any other."""
    if lang in kind:
        return kind[lang]
    return f"{kind['vi']} / {kind['en']}"
