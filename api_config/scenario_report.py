"""``dothi scenario report``: the document a planner attaches to a proposal (HTML, one file).

Contents: the scenario notice (and the synthetic one where inputs are generated), the edits, a map
(wards shaded by the change of the first indicator, edits drawn on top; inline SVG, no network),
and per indicator the city and ward values before and after, with the net number of people newly
within reach for the "share of people within reach" indicators.  Vietnamese or English.
"""

from __future__ import annotations

import html
from typing import Any

import geopandas as gpd
import jinja2
import numpy as np
import shapely

from analysis.scenarios.edits import Edit
from analysis.scenarios.evaluate import IndicatorChange
from analysis.scenarios.store import Scenario
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

WORDS = {
    "vi": {
        "edits": "Các chỉnh sửa",
        "map": "Bản đồ thay đổi",
        "unit": "Đơn vị",
        "before": "Hiện trạng",
        "after": "Kịch bản",
        "change": "Thay đổi",
        "gain": "Số người được tiếp cận thêm (ròng)",
        "method": "Cách tính",
        "none": "Không có chỉ số nào thay đổi.",
        "author": "Tác giả",
    },
    "en": {
        "edits": "Edits",
        "map": "Map of the change",
        "unit": "Unit",
        "before": "Before",
        "after": "After",
        "change": "Change",
        "gain": "People newly within reach (net)",
        "method": "Method",
        "none": "No indicator changes.",
        "author": "Author",
    },
}

TEMPLATE = jinja2.Template(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.2rem .5rem}
td.n{text-align:right}.notice{background:#fff3cd;border:1px solid #e0c36a;padding:.5rem}</style></head>
<body><h1>{{ title }}</h1>
<p class="notice">{{ notices | join(" — ") }}</p>
<p>{{ description }}</p><p>{{ w.author }}: {{ author }}</p>
<h2>{{ w.edits }}</h2><ul>{% for e in edits %}<li>{{ e }}</li>{% endfor %}</ul>
<h2>{{ w.map }}</h2>{{ svg | safe }}
{% for ind in indicators %}
<h2>{{ ind.id }} <small>({{ ind.column }}; {{ w.method }}: {{ ind.method }})</small></h2>
{% if ind.gain is not none %}<p>{{ w.gain }}: <b>{{ ind.gain }}</b></p>{% endif %}
<table><tr><th>{{ w.unit }}</th><th>{{ w.before }}</th><th>{{ w.after }}</th>
<th>{{ w.change }}</th></tr>
{% for r in ind.rows %}<tr><td>{{ r.name }}</td><td class="n">{{ r.before }}</td>
<td class="n">{{ r.after }}</td>
<td class="n">{{ r.change }}</td></tr>{% endfor %}</table>{% else %}<p>{{ w.none }}</p>{% endfor %}
</body></html>""",
    autoescape=True,
)


def _fmt(value: Any) -> str:
    return "—" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:,.2f}"


def _gain(change: IndicatorChange) -> str | None:
    city = change.rows[change.rows["level"] == "city"]
    if city.empty or "population_within" not in city["values"].iloc[0]:
        return None
    latest = city.sort_values("vintage").iloc[-1]
    population = float(latest["values"].get("population") or 0.0)
    return f"{(latest['after'] - latest['before']) / 100.0 * population:+,.0f}"


def _svg(changes: list[IndicatorChange], edits: list[Edit]) -> str:
    """Wards of the latest vintage shaded by the first indicator's change; edits in red."""
    wards = next(
        (c.rows[c.rows["level"] == "ward"] for c in changes if (c.rows["level"] == "ward").any()), None
    )
    shapes = [] if wards is None else list(wards.geometry)
    marks = [e.geometry for e in edits if e.geometry is not None]
    if not shapes and not marks:
        return ""
    minx, miny, maxx, maxy = gpd.GeoSeries(shapes + marks).total_bounds
    scale = 600.0 / max(maxx - minx, maxy - miny, 1e-9)
    top = max(wards["change"].abs().max(), 1e-9) if wards is not None else 1.0
    parts = []
    for geom, change in zip(shapes, [] if wards is None else wards["change"], strict=False):
        alpha = 0.15 + 0.75 * min(abs(float(change)) / top, 1.0)
        colour = "#2b8cbe" if change >= 0 else "#e34a33"
        parts.append(
            _path(geom, minx, maxy, scale, f'fill="{colour}" fill-opacity="{alpha:.2f}" stroke="#555"')
        )
    for geom in marks:
        shape = geom.buffer(4.0 / scale) if geom.geom_type == "Point" else geom
        parts.append(_path(shape, minx, maxy, scale, 'fill="#d7191c" stroke="#000"'))
    width, height = (maxx - minx) * scale, (maxy - miny) * scale
    head = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}">'
    return head + "".join(parts) + "</svg>"


def _path(geom: Any, minx: float, maxy: float, scale: float, style: str) -> str:
    moved = shapely.transform(
        geom, lambda xy: np.column_stack([(xy[:, 0] - minx) * scale, (maxy - xy[:, 1]) * scale])
    )
    d = []
    for poly in getattr(moved, "geoms", [moved]):
        rings = [poly.exterior, *poly.interiors] if poly.geom_type == "Polygon" else [poly]
        for ring in rings:
            coords = np.asarray(ring.coords)
            d.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + " Z")
    return f'<path d="{" ".join(d)}" {style} fill-rule="evenodd"/>'


def render_html(scenario: Scenario, edits: list[Edit], changes: list[IndicatorChange], *, lang: str) -> str:
    words = WORDS[lang]
    notices = [
        SCENARIO_RESULT[lang],
        *([SYNTHETIC_RESULT[lang]] if any(c.synthetic for c in changes) else []),
    ]
    indicators = []
    for ch in changes:
        rows = ch.rows[ch.rows["level"].isin(["city", "ward"])].sort_values(["level", "unit_id"])
        name_col = "name_vi" if lang == "vi" else "name_en"
        indicators.append(
            {
                "id": ch.indicator_id,
                "column": ch.value_column,
                "method": ch.method,
                "gain": _gain(ch),
                "rows": [
                    {
                        "name": f"{r[name_col] or r['unit_id']} ({r['vintage']})",
                        "before": _fmt(r["before"]),
                        "after": _fmt(r["after"]),
                        "change": _fmt(r["change"]),
                    }
                    for _, r in rows.iterrows()
                ],
            }
        )
    return TEMPLATE.render(
        lang=lang,
        w=words,
        title=scenario.title_vi if lang == "vi" else scenario.title_en,
        description=scenario.description_vi if lang == "vi" else scenario.description_en,
        author=scenario.author,
        notices=notices,
        edits=[html.unescape(f"{e.op} {e.layer}:{e.feature_id}") for e in edits],
        svg=_svg(changes, edits),
        indicators=indicators,
    )
