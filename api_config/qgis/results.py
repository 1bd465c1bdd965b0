"""What QGIS shows about an indicator's results: the layer abstract (with the synthetic-result
notice when it applies) and the default styles of the ward level views.

Called by :mod:`api_config.qgis.project` (layer abstracts) and :mod:`api_config.qgis.store`
(``public.layer_styles``); the wording is :data:`layers.notices.SYNTHETIC_RESULT`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from analysis.levels import published_views
from analysis.provenance import ResultProvenance, result_provenance
from analysis.registry import IndicatorSpec
from api_config.qgis.styles import Style
from layers.notices import SYNTHETIC_RESULT


def synthetic_notice(provenance: ResultProvenance | None) -> str | None:
    """The bilingual notice and the generated layers, or None for results from real data."""
    if provenance is None or not provenance.synthetic:
        return None
    layers = ", ".join(provenance.synthetic_inputs)
    return f"{SYNTHETIC_RESULT['vi']} / {SYNTHETIC_RESULT['en']} ({layers})"


def indicator_abstract(cur: Any, spec: IndicatorSpec) -> str:
    """The QGIS layer abstract of an indicator: the notice first when synthetic, then the method."""
    parts = [
        f"{spec.description_vi}\n\n{spec.description_en}",
        f"Chuẩn / standard: {spec.standard}. Công thức / formula: {spec.formula}.",
    ]
    notice = synthetic_notice(result_provenance(cur, spec))
    return "\n\n".join([f"⚠ {notice}", *parts] if notice else parts)


def result_styles(cur: Any, spec: IndicatorSpec, style: Style) -> list[Style]:
    """The indicator's ward choropleth for its results table and for each of its ward views
    (``analysis.<id>_ward_2025`` …), the notice in their descriptions when synthetic."""
    notice = synthetic_notice(result_provenance(cur, spec))
    if notice:
        style = replace(style, description=f"{notice}. {style.description}")
    views = [v for v in published_views(cur, spec) if v.level == "ward"]
    return [
        style,
        *(
            replace(style, table=v.view, name=f"{style.name} — {v.title('vi')} / {v.title('en')}")
            for v in views
        ),
    ]
