"""``dothi scenario report``: the document a planner attaches to a proposal (one HTML file, or PDF).

Contents, in Vietnamese or English: the scenario notice (and the synthetic one where inputs are
generated, wording from :mod:`layers.notices`), the scenario's title, description, author, dates and
the baseline data versions it was drawn on, the edits, a map (wards shaded by who gains — or by the
first indicator's change — with the edits on top; drawn by matplotlib, embedded as SVG, no
network), who gains (people newly within reach of a school, clinic, stop or park, and who loses
after removals) for the city and per ward, and per indicator the city and ward values before and
after.  The PDF is the same HTML printed by WeasyPrint (A4, page numbers): page 1 holds the summary
and the map, then one page per indicator.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import geopandas as gpd
import jinja2
import matplotlib
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from weasyprint import HTML

from analysis.indicators.reach_change import DESTINATIONS
from analysis.registry import INDICATORS
from analysis.scenarios.edits import Edit
from analysis.scenarios.evaluate import IndicatorChange
from analysis.scenarios.store import Scenario
from layers.catalog import LAYERS
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

FORMATS = ("html", "pdf")

WORDS: dict[str, dict[str, Any]] = {
    "vi": {
        "report": "Báo cáo kịch bản",
        "scenario": "Kịch bản",
        "author": "Tác giả",
        "created": "Tạo lúc",
        "updated": "Sửa lần cuối",
        "generated": "Ngày lập báo cáo",
        "parent": "Xây dựng trên kịch bản",
        "baseline": "Phiên bản dữ liệu nền",
        "edits": "Các chỉnh sửa",
        "op": "Thao tác",
        "layer": "Lớp",
        "feature": "Đối tượng",
        "attributes": "Thuộc tính",
        "where": "Vị trí (kinh độ, vĩ độ)",
        "ops": {"add": "thêm", "change": "sửa", "remove": "xoá"},
        "map": "Bản đồ",
        "gains": "Ai được lợi",
        "gains_intro": "Số người dân lần đầu ở trong phạm vi đi bộ (và số người mất tiếp cận khi xoá).",
        "within": "Trong phạm vi {m} m tới {what}",
        "unit": "Đơn vị",
        "residents": "Dân số",
        "gained": "Được tiếp cận thêm",
        "lost": "Mất tiếp cận",
        "children": "trong đó trẻ em đúng độ tuổi",
        "city": "Toàn thành phố",
        "indicators": "Các chỉ số",
        "before": "Hiện trạng",
        "after": "Kịch bản",
        "change": "Thay đổi",
        "method": "Cách tính",
        "methods": {"incremental": "tăng dần (chỉ phần bị ảnh hưởng)", "full": "tính lại toàn bộ"},
        "none": "Không có chỉ số nào thay đổi.",
        "no_gain": "Không ai được thêm hay mất tiếp cận.",
        "no_rows": "Không đơn vị nào thay đổi.",
        "wards_of": "Phường/xã theo địa giới năm {v}",
        "legend_gain": "Số người tiếp cận thêm (ròng)",
        "legend_change": "Thay đổi {what}",
        "added": "thêm",
        "changed": "sửa",
        "removed": "xoá",
        "page": "Trang",
        "notes": "Lưu ý",
    },
    "en": {
        "report": "Scenario report",
        "scenario": "Scenario",
        "author": "Author",
        "created": "Created",
        "updated": "Last edited",
        "generated": "Report date",
        "parent": "Builds on scenario",
        "baseline": "Baseline data versions",
        "edits": "Edits",
        "op": "Edit",
        "layer": "Layer",
        "feature": "Feature",
        "attributes": "Attributes",
        "where": "Location (lon, lat)",
        "ops": {"add": "add", "change": "change", "remove": "remove"},
        "map": "Map",
        "gains": "Who gains",
        "gains_intro": "People newly within walking distance (and people who lose it, after removals).",
        "within": "Within {m} m of {what}",
        "unit": "Unit",
        "residents": "Residents",
        "gained": "Newly within reach",
        "lost": "No longer within reach",
        "children": "of whom school-age children",
        "city": "Whole city",
        "indicators": "Indicators",
        "before": "Before",
        "after": "After",
        "change": "Change",
        "method": "Method",
        "methods": {"incremental": "incremental (affected part only)", "full": "full recomputation"},
        "none": "No indicator changes.",
        "no_gain": "Nobody gains or loses access.",
        "no_rows": "No unit changes.",
        "wards_of": "Wards and communes, {v} boundaries",
        "legend_gain": "People newly within reach (net)",
        "legend_change": "Change of {what}",
        "added": "added",
        "changed": "changed",
        "removed": "removed",
        "page": "Page",
        "notes": "Notes",
    },
}


@dataclass
class ReportData:
    """What a report shows: the scenario, its edits, the evaluation and who gains."""

    scenario: Scenario
    edits: list[Edit]
    changes: list[IndicatorChange]
    gains: dict[str, pd.DataFrame] = field(default_factory=dict)
    wards: gpd.GeoDataFrame | None = None  # all wards of the latest vintage, EPSG:4326
    notes: list[str] = field(default_factory=list)
    generated: datetime | None = None


def number(value: Any, digits: int, lang: str) -> str:
    """``1,234.5`` in English, ``1.234,5`` in Vietnamese; a dash for no value."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    text = f"{float(value):,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def people(value: Any, lang: str) -> str:
    return number(round(float(value)), 0, lang)


def signed(value: Any, digits: int, lang: str) -> str:
    text = number(value, digits, lang)
    return text if text == "—" or text.startswith("-") else f"+{text}"


def latest(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the latest admin-unit vintage (the boundaries planners use today)."""
    if frame.empty:
        return frame
    return frame[frame["vintage"] == frame["vintage"].max()]


def _name(row: Any, lang: str, words: dict[str, Any]) -> str:
    if row["level"] == "city":
        return str(words["city"])
    return str(row[f"name_{lang}"] or row["unit_id"])


def gain_groups(gains: pd.DataFrame, indicator_id: str, lang: str) -> list[dict[str, Any]]:
    """Per destination group: its heading, the city row and the wards where someone gains or loses."""
    words = WORDS[lang]
    out = []
    for group, frame in latest(gains).groupby("group", sort=False):
        limit = frame["limits_m"].iloc[0]
        school = frame["children_gained"].notna().any()
        city = frame[frame["level"] == "city"]
        wards = frame[(frame["level"] == "ward") & ((frame["gained"] > 0.5) | (frame["lost"] > 0.5))]
        wards = wards.sort_values("gained", ascending=False)
        rows = []
        for _, r in pd.concat([city, wards]).iterrows():
            rows.append(
                {
                    "name": _name(r, lang, words),
                    "city": r["level"] == "city",
                    "residents": people(r["population"], lang),
                    "gained": people(r["gained"], lang),
                    "lost": people(r["lost"], lang),
                    "children": people(r["children_gained"], lang) if school else None,
                }
            )
        out.append(
            {
                "indicator": indicator_id,
                "heading": words["within"].format(m=limit, what=DESTINATIONS[str(group)][lang]),
                "school": school,
                "rows": rows,
                "moved": bool((city["gained"] > 0.5).any() or (city["lost"] > 0.5).any()),
                "city_gained": people(city["gained"].sum(), lang),
                "city_lost": people(city["lost"].sum(), lang),
            }
        )
    return out


def indicator_tables(changes: list[IndicatorChange], lang: str) -> list[dict[str, Any]]:
    words = WORDS[lang]
    out = []
    for ch in changes:
        spec = INDICATORS[ch.indicator_id]
        digits = spec.digits(ch.value_column)
        rows = latest(ch.rows[ch.rows["level"].isin(["city", "ward"])])
        rows = pd.concat([rows[rows["level"] == "city"], rows[rows["level"] == "ward"].sort_values("change")])
        column = next((c for c in spec.result_columns if c.name == ch.value_column), None)
        out.append(
            {
                "id": ch.indicator_id,
                "title": spec.title_vi if lang == "vi" else spec.title_en,
                "column": ch.value_column,
                "unit": spec.unit,
                "label": getattr(column, f"title_{lang}", "") if column else "",
                "method": words["methods"].get(ch.method, ch.method),
                "synthetic": ch.synthetic,
                "rows": [
                    {
                        "name": _name(r, lang, words),
                        "city": r["level"] == "city",
                        "before": number(r["before"], digits, lang),
                        "after": number(r["after"], digits, lang),
                        "change": signed(r["change"], digits, lang),
                    }
                    for _, r in rows.iterrows()
                ],
            }
        )
    return out


def _attributes(edit: Edit) -> str:
    shown = {k: v for k, v in edit.attributes.items() if v is not None and k != "synthetic"}
    return ", ".join(f"{k}={v}" for k, v in list(shown.items())[:6])


def _where(edit: Edit) -> str:
    if edit.geometry is None:
        return "—"
    point = edit.geometry if edit.geometry.geom_type == "Point" else edit.geometry.representative_point()
    return f"{point.x:.5f}, {point.y:.5f}"


def edit_rows(edits: list[Edit], lang: str) -> list[dict[str, str]]:
    words = WORDS[lang]
    return [
        {
            "op": words["ops"].get(e.op, e.op),
            "layer": getattr(LAYERS.get(e.layer), f"title_{lang}", e.layer) or e.layer,
            "feature": e.feature_id,
            "attributes": _attributes(e),
            "where": _where(e),
        }
        for e in edits
    ]


#: Matplotlib settings of the map (a font with Vietnamese; text as paths, so the SVG needs no font).
MAP_RC: dict[str, Any] = {
    "font.size": 7,
    "font.family": "DejaVu Sans",
    "svg.fonttype": "path",
    "svg.hashsalt": "dothi",
}


def map_svg(data: ReportData, lang: str) -> str:
    """The map as an SVG document: wards shaded (who gains, else the first change), edits on top."""
    with matplotlib.rc_context(MAP_RC):  # type: ignore[arg-type]
        return _map_svg(data, lang)


@dataclass
class _Panel:
    wards: gpd.GeoDataFrame  # with a ``value`` column
    title: str
    legend: str
    people: bool  # people counts (no decimals) rather than an indicator's change


def _map_svg(data: ReportData, lang: str) -> str:
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    words = WORDS[lang]
    panels = map_panels(data, lang)
    cols = min(max(len(panels), 1), 2)
    rows = max(1, -(-len(panels) // cols))
    fig = Figure(figsize=(7.0 if cols == 1 else 9.0, 3.9 * rows), dpi=100)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for n, ax in enumerate(axes[: max(len(panels), 1)]):
        if n < len(panels):
            panel = panels[n]
            vals = panel.wards["value"].astype(float)
            top = max(float(np.nanmax(np.abs(vals))) if vals.notna().any() else 0.0, 1e-9)
            diverging = bool((vals < 0).any())
            panel.wards.plot(
                ax=ax,
                column="value",
                cmap="RdBu" if diverging else "Greens",
                norm=TwoSlopeNorm(0.0, -top, top) if diverging else Normalize(0.0, top),
                edgecolor="#555555",
                linewidth=0.6,
                legend=True,
                legend_kwds={"label": panel.legend, "shrink": 0.6},
                missing_kwds={"color": "#eeeeee"},
            )
            labels = panel.wards[f"name_{lang}"].fillna(panel.wards["unit_id"]).astype(str)
            for geom, label, v in zip(panel.wards.geometry, labels, vals, strict=True):
                p = geom.representative_point()
                text = label if not v else f"{label}\n{signed(v, 0 if panel.people else 2, lang)}"
                ax.annotate(
                    text, (p.x, p.y), fontsize=6, ha="center", va="center", color="#111111", path_effects=halo
                )
            ax.set_title(panel.title, fontsize=8.5)
        _draw_edits(ax, data.edits, words)
        ax.set_axis_off()
        lat = float(np.mean(ax.get_ylim()))
        ax.set_aspect(1.0 / max(np.cos(np.radians(lat)), 0.1))  # degrees of lon/lat at the map's latitude
    for ax in axes[max(len(panels), 1) :]:
        ax.set_visible(False)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    return buf.getvalue()


def _draw_edits(ax: Any, edits: list[Edit], words: dict[str, Any]) -> None:
    styles = {
        "add": ("P", "#1a9641", words["added"]),
        "change": ("D", "#fdae61", words["changed"]),
        "remove": ("X", "#d7191c", words["removed"]),
    }
    handles = []
    for op, (marker, colour, label) in styles.items():
        shapes = [e.geometry for e in edits if e.op == op and e.geometry is not None]
        if not shapes:
            continue
        frame = gpd.GeoSeries(shapes, crs=4326)
        points = frame[frame.geom_type == "Point"]
        others = frame[frame.geom_type != "Point"]
        if not points.empty:
            points.plot(ax=ax, marker=marker, color=colour, markersize=90, edgecolor="black", zorder=5)
        if not others.empty:
            others.plot(ax=ax, color=colour, edgecolor="black", linewidth=1.2, alpha=0.8, zorder=4)
        handles.append(
            Line2D([], [], marker=marker, color=colour, markeredgecolor="black", ls="", label=label)
        )
    if handles:
        ax.legend(handles=handles, title=words["edits"], loc="lower left", fontsize=7, title_fontsize=7)


def map_panels(data: ReportData, lang: str) -> list[_Panel]:
    """One panel per destination group where someone gains or loses (net people per ward), else
    one panel of the first indicator's ward change."""
    words = WORDS[lang]
    wards = data.wards
    if wards is None or wards.empty:
        ward_rows = [latest(c.rows[c.rows["level"] == "ward"]) for c in data.changes]
        columns = ["unit_id", "name_vi", "name_en", "geometry"]
        wards = next((w[columns] for w in ward_rows if not w.empty), None)
    if wards is None:
        return []
    panels = []
    for indicator, gains in data.gains.items():
        frame = latest(gains)
        frame = frame[frame["level"] == "ward"]
        for group in frame["group"].unique():
            net = frame[frame["group"] == group].set_index("unit_id")["net"]
            shaded = wards.assign(value=wards["unit_id"].map(net).fillna(0.0).astype(float))
            if shaded["value"].abs().max() < 0.5:
                continue
            limit = frame.loc[frame["group"] == group, "limits_m"].iloc[0]
            title = words["within"].format(m=limit, what=DESTINATIONS[str(group)][lang])
            legend = words["legend_gain"]
            panels.append(_Panel(shaded, f"{title} ({indicator})", legend, people=True))
    if panels:
        return panels[:4]
    change = next((c for c in data.changes if (c.rows["level"] == "ward").any()), None)
    if change is None:
        return [_Panel(wards.assign(value=np.nan), "", "", people=False)]
    rows = latest(change.rows[change.rows["level"] == "ward"]).set_index("unit_id")["change"]
    spec = INDICATORS[change.indicator_id]
    what = f"{change.value_column} ({spec.unit})"
    shaded = wards.assign(value=wards["unit_id"].map(rows).fillna(0.0).astype(float))
    title = spec.title_vi if lang == "vi" else spec.title_en
    return [_Panel(shaded, title, words["legend_change"].format(what=what), people=False)]


STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-center { content: "{{ title }} — {{ page }} " counter(page) " / " counter(pages);
                   font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #666; } }
body { font-family: "DejaVu Sans", "Noto Sans", sans-serif; font-size: 9.5pt; color: #222;
       max-width: 60rem; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 .2rem; } h2 { font-size: 12.5pt; margin: 1rem 0 .3rem; }
h3 { font-size: 10.5pt; margin: .7rem 0 .2rem; }
.notice { background: #fff3cd; border: 1px solid #e0c36a; padding: .3rem .5rem; margin: .4rem 0; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; width: 100%; }
td, th { border: 1px solid #ccc; padding: .12rem .4rem; vertical-align: top; }
th { background: #f1f1f1; text-align: left; } td.n, th.n { text-align: right; }
tr.city td { font-weight: bold; background: #f7f7f7; }
table.meta td:first-child { width: 28%; color: #555; }
.map img { width: 100%; max-height: 88mm; object-fit: contain; }
.small { font-size: 8pt; color: #555; }
section.indicator { break-before: page; }
"""

TEMPLATE = jinja2.Template(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ style | safe }}</style></head>
<body>
<p class="small">{{ w.report }} · dothi</p>
<h1>{{ title }}</h1>
{% for n in notices %}<p class="notice">{{ n }}</p>{% endfor %}
{% if description %}<p>{{ description }}</p>{% endif %}
<table class="meta">
<tr><td>{{ w.scenario }}</td><td>{{ s.name }}</td></tr>
<tr><td>{{ w.author }}</td><td>{{ s.author }}</td></tr>
<tr><td>{{ w.created }} / {{ w.updated }}</td><td>{{ created }} / {{ updated }}</td></tr>
{% if s.parent %}<tr><td>{{ w.parent }}</td><td>{{ s.parent }}</td></tr>{% endif %}
<tr><td>{{ w.baseline }}</td><td class="small">{{ versions }}</td></tr>
<tr><td>{{ w.generated }}</td><td>{{ generated }}</td></tr>
</table>
{% if notes %}<p class="notice">{{ w.notes }}: {{ notes | join("; ") }}</p>{% endif %}
<h2>{{ w.edits }}</h2>
<table><tr><th>{{ w.op }}</th><th>{{ w.layer }}</th><th>{{ w.feature }}</th>
<th>{{ w.attributes }}</th><th>{{ w.where }}</th></tr>
{% for e in edits %}<tr><td>{{ e.op }}</td><td>{{ e.layer }}</td><td>{{ e.feature }}</td>
<td class="small">{{ e.attributes }}</td><td class="small">{{ e.where }}</td></tr>{% endfor %}
</table>
{% if svg %}<h2>{{ w.map }}</h2>
<div class="map"><img alt="{{ w.map }}" src="data:image/svg+xml;base64,{{ svg }}"></div>{% endif %}
<h2>{{ w.gains }}</h2>
<p class="small">{{ w.gains_intro }} {{ wards_of }}.</p>
{% if gain_summary %}
<table><tr><th>{{ w.indicators }}</th><th class="n">{{ w.gained }}</th><th class="n">{{ w.lost }}</th></tr>
{% for g in gain_summary %}<tr><td>{{ g.heading }}</td><td class="n">{{ g.city_gained }}</td>
<td class="n">{{ g.city_lost }}</td></tr>{% endfor %}</table>
{% else %}<p>{{ w.no_gain }}</p>{% endif %}
{% for ind in indicators %}
<section class="indicator">
<h2>{{ ind.title }}</h2>
<p class="small">{{ ind.id }} · {{ ind.column }} ({{ ind.unit }}){% if ind.label %}: {{ ind.label }}
{% endif %} · {{ w.method }}: {{ ind.method }}</p>
{% for g in gains.get(ind.id, []) %}
<h3>{{ w.gains }} — {{ g.heading }}</h3>
{% if not g.moved %}<p>{{ w.no_gain }}</p>{% else %}
<table><tr><th>{{ w.unit }}</th><th class="n">{{ w.residents }}</th><th class="n">{{ w.gained }}</th>
{% if g.school %}<th class="n">{{ w.children }}</th>{% endif %}<th class="n">{{ w.lost }}</th></tr>
{% for r in g.rows %}<tr{% if r.city %} class="city"{% endif %}><td>{{ r.name }}</td>
<td class="n">{{ r.residents }}</td><td class="n">{{ r.gained }}</td>
{% if g.school %}<td class="n">{{ r.children }}</td>{% endif %}<td class="n">{{ r.lost }}</td></tr>
{% endfor %}</table>{% endif %}
{% endfor %}
<h3>{{ w.before }} / {{ w.after }} — {{ ind.column }} ({{ ind.unit }})</h3>
{% if ind.rows %}
<table><tr><th>{{ w.unit }}</th><th class="n">{{ w.before }}</th><th class="n">{{ w.after }}</th>
<th class="n">{{ w.change }}</th></tr>
{% for r in ind.rows %}<tr{% if r.city %} class="city"{% endif %}><td>{{ r.name }}</td>
<td class="n">{{ r.before }}</td><td class="n">{{ r.after }}</td><td class="n">{{ r.change }}</td></tr>
{% endfor %}</table>
{% else %}<p>{{ w.no_rows }}</p>{% endif %}
</section>
{% else %}<p>{{ w.none }}</p>{% endfor %}
</body></html>""",
    autoescape=True,
)


def _css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string within <style> (no quote, backslash or '<')."""
    return text.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if hasattr(value, "strftime") else str(value or "—")


def render_html(data: ReportData, *, lang: str) -> str:
    """The report as one self-contained HTML document (the map inline, no network)."""
    words = WORDS[lang]
    s = data.scenario
    title = s.title_vi if lang == "vi" else s.title_en
    notices = [
        SCENARIO_RESULT[lang],
        *([SYNTHETIC_RESULT[lang]] if any(c.synthetic for c in data.changes) else []),
    ]
    gains = {k: gain_groups(v, k, lang) for k, v in data.gains.items()}
    vintage = next(
        (int(latest(g)["vintage"].iloc[0]) for g in data.gains.values() if not g.empty),
        None,
    )
    svg = map_svg(data, lang)
    return TEMPLATE.render(
        lang=lang,
        w=words,
        style=jinja2.Template(STYLE).render(title=_css_string(title), page=_css_string(words["page"])),
        title=title,
        description=s.description_vi if lang == "vi" else s.description_en,
        s=s,
        created=_when(s.created_at),
        updated=_when(s.updated_at),
        generated=_when(data.generated or datetime.now().astimezone()),
        versions=", ".join(f"{k} v{v}" for k, v in sorted((s.baseline_versions or {}).items())),
        notices=notices,
        notes=data.notes,
        edits=edit_rows(data.edits, lang),
        svg=base64.b64encode(svg.encode("utf-8")).decode("ascii") if svg else "",
        gain_summary=[g for groups in gains.values() for g in groups if g["moved"]],
        gains=gains,
        wards_of=words["wards_of"].format(v=vintage) if vintage else "",
        indicators=indicator_tables(data.changes, lang),
    )


def render_pdf(html_text: str) -> bytes:
    """The HTML report printed to PDF by WeasyPrint (A4, page numbers, fonts embedded)."""
    return bytes(HTML(string=html_text).write_pdf())
