"""The Scenarios group of the QGIS project: per scenario, the layers a planner draws edits on and
the evaluated result.

What a planner does (docs/qgis.md, "Scenarios / Kịch bản"): open the project, pick the scenario's
group, toggle editing on "Trường học — chỉnh sửa / Schools — edits", draw a school (the form
fills in the scenario and offers the allowed values), save; run ``dothi scenario evaluate NAME``;
the result layer of the same group shows the wards whose value changed, coloured as a difference.

* **Edit layers** are the views ``scenario.edit_<layer>`` of revision ``0016_scenario_editing``:
  one row per edit, the layer's attributes as typed columns, written through into
  ``scenario.edits`` by an ``INSTEAD OF`` trigger.  The layer filter keeps the scenario's rows; the
  form's default value of ``scenario`` is the scenario's name.  Validation is the CLI's: the
  evaluation re-validates every stored edit with the loader's rules and names a bad feature.
* **Result layers** read ``scenario.scenario_results`` (ward level) of each indicator the editable
  layers feed, drawn as a diverging difference (red: decrease, blue: increase), the scenario-result
  notice (and the synthetic-result notice when it applies) first in the abstract, in both languages.
* Edit and result layers may connect through a PostgreSQL service (``service``, from each
  planner's ``pg_service.conf``) naming the planner's own login, a member of ``dothi_planner``,
  which may write scenario edits and nothing else (docs/security.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from analysis.provenance import result_provenance
from analysis.registry import INDICATORS, IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.qgis.names import INDICATOR_SHORT, LAYER_SHORT
from api_config.qgis.results import synthetic_notice
from api_config.qgis.store import PACKAGE, table_exists, table_has_rows, ward_values
from api_config.qgis.styles import labeling, model_qml, model_symbol, qml
from api_config.styling.model import (
    MARKER_SIZE_MM,
    Labels,
    StyleClass,
    StyleModel,
    Symbol,
    format_number,
    layer_model,
)
from gis.crs import STORAGE_SRID
from gis.errors import ConfigError
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS, LayerSpec
from layers.notices import SCENARIO_RESULT

SCHEMA = "scenario"
#: Layers a planner edits in QGIS → their editable view (revision 0016_scenario_editing).
EDITABLE = {
    "schools": "edit_schools",
    "health_facilities": "edit_health_facilities",
    "markets": "edit_markets",
    "transit_stops": "edit_transit_stops",
    "green_spaces": "edit_green_spaces",
    "land_use": "edit_land_use",
}
RESULTS_VIEW = "scenario_results"
GROUP_TITLE = "Kịch bản / Scenarios"
#: Edit layers drawn on open (the others are one click away).
VISIBLE_EDITS = frozenset({"schools", "health_facilities", "land_use"})
#: The result drawn on open.
VISIBLE_RESULT = "education_access"
#: Columns of every edit view besides the layer's attributes.
READ_ONLY = ("edit_id", "scenario", "author", "created_at")
#: QGIS's NULL marker in a value map.
QGIS_NULL = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"
OP_LABELS = {
    "add": "thêm / add",
    "change": "đổi / change",
    "remove": "xoá / remove",
}
OP_COLOURS = {"add": "#1a9641", "change": "#fdae61", "remove": "#d7191c"}
#: Diverging colours, decrease → no change → increase (ColorBrewer RdBu).
DIVERGING = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
RESULT_OPACITY = 0.85


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scenario_filter(name: str, *extra: str) -> str:
    """The QGIS layer filter (the WHERE of its queries) of one scenario's rows."""
    return " AND ".join([f"scenario = {_quote_literal(name)}", *extra])


def _source(view: str, key: str, geometry: str, subset: str, service: str | None) -> dict[str, Any]:
    src = {
        "schema": SCHEMA,
        "table": view,
        "geom": "geom",
        "key": key,
        "geometry": geometry,
        "srid": STORAGE_SRID,
        "subset": subset,
    }
    if service:
        src["service"] = service
    return src


# --- the edit layers' form and symbols (QML) -------------------------------------------------------


def _value_map(values: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<Option type="Map"><Option type="QString" name={quoteattr(label)} '
        f"value={quoteattr(value)}/></Option>"
        for label, value in values
    )
    return (
        '<editWidget type="ValueMap"><config><Option type="Map">'
        f'<Option type="List" name="map">{items}</Option></Option></config></editWidget>'
    )


def _hidden() -> str:
    return '<editWidget type="Hidden"><config><Option/></config></editWidget>'


def edit_form(spec: LayerSpec, scenario: str) -> str:
    """Fields (widgets, aliases, defaults, read-only) of an edit layer's attribute form."""
    widgets = [
        f'<field name="edit_id" configurationFlags="None">{_hidden()}</field>',
        '<field name="op" configurationFlags="None">'
        + _value_map(
            [("(tự động: thêm hoặc đổi / automatic: add or change)", QGIS_NULL)]
            + [(label, op) for op, label in OP_LABELS.items()]
        )
        + "</field>",
    ]
    for attr in spec.attributes:
        if attr.allowed:
            values = [(str(v), str(v)) for v in attr.allowed]
            widgets.append(
                f'<field name="{attr.name}" configurationFlags="None">{_value_map(values)}</field>'
            )
    aliases = [
        ("scenario", "Kịch bản / Scenario"),
        ("op", "Thao tác / Operation"),
        (spec.id_field, "Mã (trống: mã mới) / Id (empty: a new id)"),
        ("author", "Người sửa / Author"),
        ("created_at", "Thời điểm / Time"),
    ]
    alias_xml = "".join(
        f'<alias field="{f}" index="{i}" name={quoteattr(a)}/>' for i, (f, a) in enumerate(aliases)
    )
    editable = "".join(f'<field name="{f}" editable="0"/>' for f in READ_ONLY)
    default = (
        f'<default field="scenario" expression={quoteattr(_quote_literal(scenario))} applyOnUpdate="0"/>'
    )
    return (
        f"<fieldConfiguration>{''.join(widgets)}</fieldConfiguration>"
        f"<aliases>{alias_xml}</aliases><defaults>{default}</defaults><editable>{editable}</editable>"
    )


def _bigger(symbol_xml: str) -> str:
    """A proposed point stands out among the baseline's: twice the catalog's marker size."""
    return symbol_xml.replace(
        f'name="size" value="{MARKER_SIZE_MM:g}"', f'name="size" value="{2 * MARKER_SIZE_MM:g}"'
    )


def edit_symbols(spec: LayerSpec) -> str:
    """The edits drawn by operation: additions green, changes orange, removals red (over the
    baseline feature they remove), in the layer's own symbol shape."""
    base = layer_model(spec)
    kind = base.geometry
    cats, symbols = [], []
    for i, (op, label) in enumerate(OP_LABELS.items()):
        colour = OP_COLOURS[op]
        sym = Symbol(stroke="#222222", width=0.6, fill=colour if kind != "line" else None)
        if kind == "line":
            sym = Symbol(stroke=colour, width=1.2)
        cats.append(f'<category value="{op}" symbol="{i}" label={quoteattr(label)} render="true"/>')
        symbols.append(_bigger(model_symbol(kind, sym, name=str(i))))
    default = _bigger(model_symbol(kind, Symbol(stroke="#222222", width=0.6, fill=OP_COLOURS["add"])))
    return (
        '<renderer-v2 type="categorizedSymbol" attr="op" symbollevels="0" forceraster="0" enableorderby="0">'
        f"<categories>{''.join(cats)}</categories><symbols>{''.join(symbols)}</symbols>"
        f"<source-symbol>{default}</source-symbol><rotation/><sizescale/></renderer-v2>"
    )


def edit_qml(spec: LayerSpec, scenario: str) -> str:
    """Symbols and form of one scenario's edit layer (QGIS reads both from one QML document)."""
    doc = qml(edit_symbols(spec), labels=Labels("name"), kind=layer_model(spec).geometry)
    doc = doc.replace(
        'styleCategories="Symbology|Labeling"', 'styleCategories="Symbology|Labeling|Fields|Forms"'
    )
    return doc.replace("</qgis>", edit_form(spec, scenario) + "</qgis>")


# --- the result layers: a diverging difference ------------------------------------------------------


def _nice(value: float) -> float:
    """``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    exp = 10.0 ** math.floor(math.log10(value))
    return next(m * exp for m in (1, 2, 5, 10) if m * exp >= value)


def difference_classes(span: float, unit: str) -> tuple[StyleClass, ...]:
    """Seven classes symmetric around 0: large / medium / small decrease, ≈ 0, small / medium /
    large increase; ``span`` is a large change (its half and a tenth make the inner edges)."""
    m = _nice(span)
    edges = [-1e12, -m / 2, -m / 10, -m / 100, m / 100, m / 10, m / 2, 1e12]
    names = [
        ("giảm nhiều", "large decrease"),
        ("giảm", "decrease"),
        ("giảm ít", "slight decrease"),
        ("gần như không đổi", "about the same"),
        ("tăng ít", "slight increase"),
        ("tăng", "increase"),
        ("tăng nhiều", "large increase"),
    ]
    out = []
    for i, ((vi, en), colour) in enumerate(zip(names, DIVERGING, strict=True)):
        lo, hi = edges[i], edges[i + 1]
        if i == 0:
            rng = f"≤ {format_number(hi)}"
        elif i == len(names) - 1:
            rng = f"> {format_number(lo)}"
        else:
            rng = f"{format_number(lo)} – {format_number(hi)}"
        label = f"{vi} / {en} ({rng} {unit})".replace(" )", ")")
        out.append(
            StyleClass(Symbol(stroke="#555555", width=0.26, fill=colour), label, label, lower=lo, upper=hi)
        )
    return tuple(out)


def result_model(spec: IndicatorSpec, span: float) -> StyleModel:
    return StyleModel(
        id=f"scenario-{spec.id}",
        title_vi=spec.title_vi,
        title_en=spec.title_en,
        geometry="fill",
        kind="graduated",
        attribute="change",
        classes=difference_classes(span, spec.unit),
        default=Symbol(stroke="#555555", width=0.26, fill=None),
    )


def change_labels(unit: str) -> str:
    """Each changed ward labelled with its change, signed (``+4.7 %``)."""
    suffix = f" {unit}".replace("'", "''") if unit else ""
    expression = f"concat(if(\"change\" > 0, '+', ''), format_number(\"change\", 2), '{suffix}')"
    text = labeling(Labels("change"), "fill")
    # drawn even where a ward name or a service's label is in the way: it is the answer
    return (
        text.replace(
            'fieldName="change" isExpression="0"', f'fieldName={quoteattr(expression)} isExpression="1"'
        )
        .replace('priority="5"', 'priority="10"')
        .replace('displayAll="0"', 'displayAll="1"')
        .replace('fontSize="9"', 'fontSize="11"')
    )


def result_qml(spec: IndicatorSpec, span: float) -> str:
    """The difference map of one indicator: diverging classes of ``change``, labelled."""
    doc = model_qml(result_model(spec, span))
    return doc.replace('labelsEnabled="0">', 'labelsEnabled="1">').replace(
        "</qgis>", change_labels(spec.unit) + "</qgis>"
    )


def _span(cur: Any, scenario: str, spec: IndicatorSpec) -> float:
    """A large change of this indicator: the largest the scenario's last evaluation stored, or a
    quarter of the range of today's ward values (nothing evaluated yet)."""
    cur.execute(load_sql(PACKAGE, "scenario_change_span"), {"scenario": scenario, "indicator": spec.id})
    stored = cur.fetchone()[0]
    if stored:
        return float(stored)
    values = ward_values(cur, spec.table, spec.value_column)
    return (values.high - values.low) / 4 if values is not None and values.high > values.low else 1.0


def result_abstract(cur: Any, spec: IndicatorSpec, scenario: str) -> str:
    notices = [f"⚠ {SCENARIO_RESULT['vi']} / {SCENARIO_RESULT['en']}"]
    synthetic = synthetic_notice(result_provenance(cur, spec))
    if synthetic:
        notices.append(f"⚠ {synthetic}")
    return "\n\n".join(
        [
            *notices,
            f"Kịch bản {scenario}: các phường có giá trị thay đổi (trước, sau, thay đổi = sau − trước). "
            f"Chạy lại `dothi scenario evaluate {scenario}` sau mỗi lần lưu chỉnh sửa.",
            f"Scenario {scenario}: the wards whose value changes (before, after, change = after − before). "
            f"Run `dothi scenario evaluate {scenario}` again after saving edits.",
            f"{spec.description_vi}\n\n{spec.description_en}",
        ]
    )


# --- the group --------------------------------------------------------------------------------------


def fed_indicators() -> list[IndicatorSpec]:
    """Indicators with an editable layer among their inputs (what a scenario drawn in QGIS changes)."""
    layers = set(EDITABLE)
    return [s for s in INDICATORS.values() if layers & {*s.inputs, *s.optional_inputs}]


def _edit_layers(cur: Any, name: str, service: str | None) -> list[Any]:
    from api_config.qgis.project import LayerPlan  # noqa: PLC0415 - project.py imports this module

    out = []
    for layer, view in EDITABLE.items():
        spec = LAYERS[layer]
        if not table_exists(cur, spec.schema, spec.table):
            continue
        vi, en = LAYER_SHORT.get(spec.name, (spec.title_vi, spec.title_en))
        out.append(
            LayerPlan(
                "postgres",
                f"{vi} — chỉnh sửa / {en} — edits",
                _source(view, "edit_id", spec.geometry, scenario_filter(name), service),
                visible=layer in VISIBLE_EDITS,
                qml=edit_qml(spec, name),
                abstract=(
                    f"Chỉnh sửa lớp {spec.title_vi} trong kịch bản {name}: vẽ, sửa hoặc xoá rồi lưu; "
                    "trường op để trống = thêm (hoặc đổi khi mã là của một đối tượng có sẵn).\n\n"
                    f"Edits of {spec.title_en} in scenario {name}: draw, change or delete, then save; "
                    "an empty op means add (or change when the id is an existing feature's)."
                ),
            )
        )
    return out


def _result_layers(cur: Any, name: str, service: str | None) -> list[Any]:
    from api_config.qgis.project import (  # noqa: PLC0415 - project.py imports this module
        CURRENT_VINTAGE,
        INDICATOR_OPACITY,
        LayerPlan,
    )

    out = []
    for spec in fed_indicators():
        if not table_has_rows(cur, ANALYSIS_SCHEMA, spec.table):
            continue
        subset = scenario_filter(
            name,
            f"indicator_id = {_quote_literal(spec.id)}",
            "level = 'ward'",
            f"(vintage IS NULL OR vintage = {int(CURRENT_VINTAGE)})",  # the newest wards only
        )
        vi, en = INDICATOR_SHORT.get(spec.id, (spec.title_vi, spec.title_en))
        out.append(
            LayerPlan(
                "postgres",
                f"Δ {vi} / Δ {en}",
                _source(RESULTS_VIEW, "id", "MultiPolygon", subset, service),
                visible=spec.id == VISIBLE_RESULT,
                qml=result_qml(spec, _span(cur, name, spec)),
                opacity=max(INDICATOR_OPACITY, RESULT_OPACITY),
                abstract=result_abstract(cur, spec, name),
            )
        )
    return out


def scenario_groups(
    cur: Any, names: Sequence[str] | None = None, *, every: bool = False, service: str | None = None
) -> list[dict[str, Any]]:
    """The project's Scenarios group: one sub-group per scenario (the named ones, or all with
    ``every``), the first one visible; none when no scenario is asked for (or there is none)."""
    if not names and not every:
        return []
    if not table_exists(cur, SCHEMA, EDITABLE["schools"]):
        if names:
            raise ConfigError(
                "Cơ sở dữ liệu chưa có lớp chỉnh sửa kịch bản / The database has no scenario edit layers.",
                hint="Run `dothi db migrate` (revision 0016_scenario_editing).",
            )
        return []
    cur.execute(load_sql(PACKAGE, "scenario_groups"), {"names": None if every else list(names or ())})
    rows = cur.fetchall()
    missing = [] if every else sorted(set(names or ()) - {r[0] for r in rows})
    if missing:
        raise ConfigError(
            f"Không có kịch bản / No scenario named: {', '.join(missing)}",
            hint="`dothi scenario list` lists them; `dothi scenario create` makes one.",
        )
    if not rows:
        return []
    subgroups = []
    for i, (name, title_vi, title_en, _published, _evaluated) in enumerate(rows):
        layers = _edit_layers(cur, name, service) + _result_layers(cur, name, service)
        subgroups.append(
            {
                "name": f"{name}: {title_vi} / {title_en}",
                "visible": i == 0,
                "layers": layers,
                "expanded": i == 0,
            }
        )
    return [{"name": GROUP_TITLE, "visible": True, "layers": [], "groups": subgroups, "expanded": True}]
