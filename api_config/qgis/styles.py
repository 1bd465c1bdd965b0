"""QGIS styles (QML) of dothi's layers and indicators, written from the shared
:class:`api_config.styling.model.StyleModel` (the same model gives the SLD and MapLibre styles of
the OGC API – Styles endpoint, so QGIS and the web draw the same classes).

Single-symbol layers take the catalog's style hint; land use is categorised by national code and
streets by class (:mod:`api_config.styling.palette`); indicators get a graduated ward choropleth of
their value column (the classification expression keeps ``level = 'ward'`` rows only: the city row
has no value to draw), with the class edges of :mod:`api_config.styling.breaks`.

The QML is written from string templates (QGIS 3.22 format, read by every later 3.x), so no QGIS
installation is needed to generate it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import quoteattr

from analysis.registry import IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.styling.breaks import Method
from api_config.styling.model import (
    MARKER_SIZE_MM,
    Labels,
    StyleModel,
    Symbol,
    format_number,
    indicator_model,
    layer_model,
)
from layers.catalog import LayerSpec

QGIS_VERSION = "3.22.16-Białowieża"
GEOMETRY_COLUMN = "geom"
STYLE_PREFIX = "dothi"
SymbolType = Literal["fill", "line", "marker"]
_RENDERERS = {"single": "singleSymbol", "categorized": "categorizedSymbol", "graduated": "graduatedSymbol"}


@dataclass(frozen=True)
class Style:
    """One row of ``layer_styles``: which table, the style's name and its QML."""

    schema: str
    table: str
    name: str
    description: str
    qml: str
    renderer: Literal["singleSymbol", "categorizedSymbol", "graduatedSymbol"]
    geometry_column: str = GEOMETRY_COLUMN


def rgba(colour: str, *, alpha: int = 255) -> str:
    """``#rrggbb`` (or ``#rrggbbaa``) → QGIS's ``r,g,b,a``."""
    text = colour.lstrip("#")
    if len(text) not in (6, 8):
        raise ValueError(f"colour {colour!r} is not #rrggbb")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    a = int(text[6:8], 16) if len(text) == 8 else alpha
    return f"{r},{g},{b},{a}"


def _options(props: dict[str, str]) -> str:
    items = "".join(
        f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in props.items()
    )
    return f'<Option type="Map">{items}</Option>'


def _symbol_layer(cls: str, props: dict[str, str]) -> str:
    return f'<layer class="{cls}" enabled="1" locked="0" pass="0">{_options(props)}</layer>'


def fill_layer(fill: str | None, stroke: str, width: float) -> str:
    return _symbol_layer(
        "SimpleFill",
        {
            "color": rgba(fill) if fill else "0,0,0,0",
            "style": "solid" if fill else "no",
            "outline_color": rgba(stroke),
            "outline_style": "solid",
            "outline_width": f"{width:g}",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        },
    )


def line_layer(stroke: str, width: float, *, dashed: bool = False) -> str:
    return _symbol_layer(
        "SimpleLine",
        {
            "line_color": rgba(stroke),
            "line_style": "dash" if dashed else "solid",
            "line_width": f"{width:g}",
            "line_width_unit": "MM",
            "capstyle": "round",
            "joinstyle": "round",
        },
    )


def marker_layer(fill: str, stroke: str, width: float) -> str:
    return _symbol_layer(
        "SimpleMarker",
        {
            "name": "circle",
            "color": rgba(fill),
            "outline_color": rgba(stroke),
            "outline_style": "solid",
            "outline_width": f"{width:g}",
            "outline_width_unit": "MM",
            "size": f"{MARKER_SIZE_MM:g}",
            "size_unit": "MM",
        },
    )


def symbol(kind: SymbolType, layers: Sequence[str], *, name: str = "0") -> str:
    return (
        f'<symbol type="{kind}" name={quoteattr(name)} alpha="1" clip_to_extent="1" force_rhr="0">'
        f"{''.join(layers)}</symbol>"
    )


def model_symbol(kind: SymbolType, sym: Symbol, *, name: str = "0") -> str:
    """The QML ``<symbol>`` of a model symbol (a line's casing is a wider line below it)."""
    if kind == "fill":
        return symbol(kind, [fill_layer(sym.fill, sym.stroke, sym.width)], name=name)
    if kind == "line":
        parts = [line_layer(sym.stroke, sym.width, dashed=sym.dashed)]
        if sym.casing:
            parts.insert(0, line_layer(sym.casing, sym.width + 0.4))
        return symbol(kind, parts, name=name)
    return symbol(kind, [marker_layer(sym.fill or "#666666", sym.stroke, sym.width)], name=name)


#: QgsPalLayerSettings placement: OverPoint for polygons, Line for lines, AroundPoint for points.
_PLACEMENT = {"fill": "1", "line": "2", "marker": "0"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def label_expression(labels: Labels) -> tuple[str, bool]:
    """(field or expression, is an expression) of the labels."""
    if not labels.only_field or not labels.only_values:
        return labels.field, False
    values = ", ".join("'" + v.replace("'", "''") + "'" for v in labels.only_values)
    return f"CASE WHEN {_quote(labels.only_field)} IN ({values}) THEN {_quote(labels.field)} END", True


def labeling(labels: Labels, kind: SymbolType) -> str:
    """Labels with a white halo (lines: along the line, merged per street)."""
    text, is_expression = label_expression(labels)
    size = "9" if kind == "fill" else "8"
    weight = "63" if kind == "fill" else "50"
    return (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={quoteattr(text)} isExpression="{int(is_expression)}" fontSize="{size}" '
        f'fontSizeUnit="Point" textColor="40,40,40,255" textOpacity="1" fontWeight="{weight}" '
        'namedStyle="" blendMode="0" multilineHeight="1" allowHtml="0">'
        '<text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" '
        'bufferColor="255,255,255,255" bufferOpacity="1" bufferNoFill="1" bufferJoinStyle="128"/>'
        "</text-style>"
        f'<placement placement="{_PLACEMENT[kind]}" dist="1" distUnits="MM" priority="5" '
        'placementFlags="10" polygonPlacementFlags="2" repeatDistance="0"/>'
        '<rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" '
        'upsidedownLabels="0" labelPerPart="0" mergeLines="1" scaleVisibility="0" minFeatureSize="0"/>'
        "</settings></labeling>"
    )


def qml(renderer: str, *, labels: Labels | None = None, kind: SymbolType = "fill") -> str:
    """A complete QML document (symbology and labels)."""
    text = labeling(labels, kind) if labels else ""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        f'<qgis version="{QGIS_VERSION}" styleCategories="Symbology|Labeling" '
        f'labelsEnabled="{1 if labels else 0}">'
        f"{renderer}{text}</qgis>\n"
    )


def where_expression(model: StyleModel, column: str) -> str:
    """QGIS expression: the value where the model's conditions hold, NULL elsewhere."""
    if not model.where:
        return _quote(column)
    test = " AND ".join(f"{_quote(k)} = '" + v.replace("'", "''") + "'" for k, v in model.where)
    return f"CASE WHEN {test} THEN {_quote(column)} END"


def ward_expression(value_column: str) -> str:
    """QGIS expression: the value on ward rows, NULL elsewhere (so the city row is not drawn)."""
    return f"CASE WHEN \"level\" = 'ward' THEN {_quote(value_column)} END"


def _single(model: StyleModel) -> str:
    return (
        '<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0">'
        f"<symbols>{model_symbol(model.geometry, model.default)}</symbols>"
        "<rotation/><sizescale/></renderer-v2>"
    )


def _categorized(model: StyleModel) -> str:
    cats, symbols = [], []
    for i, cls in enumerate(model.classes):
        label = f"{cls.label_vi} / {cls.label_en.split(' – ', 1)[-1]}"
        cats.append(
            f'<category value={quoteattr(cls.value or "")} symbol="{i}" '
            f'label={quoteattr(label)} render="true"/>'
        )
        symbols.append(model_symbol(model.geometry, cls.symbol, name=str(i)))
    level = "1" if model.geometry == "line" else "0"  # casings under every street, then the streets
    return (
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(model.attribute or "")} '
        f'symbollevels="{level}" forceraster="0" enableorderby="0">'
        f"<categories>{''.join(cats)}</categories><symbols>{''.join(symbols)}</symbols>"
        f"<source-symbol>{model_symbol(model.geometry, model.default)}</source-symbol>"
        "<rotation/><sizescale/></renderer-v2>"
    )


def _graduated(model: StyleModel) -> str:
    ranges, symbols = [], []
    for i, cls in enumerate(model.classes):
        ranges.append(
            f'<range lower="{cls.lower!r}" upper="{cls.upper!r}" symbol="{i}" '
            f'label={quoteattr(cls.label_vi)} render="true"/>'
        )
        symbols.append(model_symbol("fill", cls.symbol, name=str(i)))
    colours = [c.symbol.fill or "#000000" for c in model.classes]
    stops = ":".join(f"{i / (len(colours) - 1):.3f};{rgba(c)}" for i, c in enumerate(colours[1:-1], start=1))
    ramp = _options(
        {
            "color1": rgba(colours[0]),
            "color2": rgba(colours[-1]),
            "discrete": "0",
            "rampType": "gradient",
            "stops": stops,
        }
    )
    method = "Quantile" if model.method == "quantile" else "Jenks"
    attr = quoteattr(where_expression(model, model.attribute or ""))
    return (
        f'<renderer-v2 type="graduatedSymbol" attr={attr} '
        'graduatedMethod="GraduatedColor" symbollevels="0" forceraster="0" enableorderby="0">'
        f"<ranges>{''.join(ranges)}</ranges><symbols>{''.join(symbols)}</symbols>"
        f"<source-symbol>{model_symbol('fill', model.classes[0].symbol)}</source-symbol>"
        f'<colorramp type="gradient" name="[source]">{ramp}</colorramp>'
        f'<classificationMethod id="{method}">'
        '<symmetricMode enabled="0" symmetrypoint="0" astride="0"/>'
        '<labelFormat format="%1 – %2" labelprecision="0" trimtrailingzeroes="1"/>'
        "<parameters><Option/></parameters><extraInformation/></classificationMethod>"
        "<rotation/><sizescale/></renderer-v2>"
    )


def model_qml(model: StyleModel) -> str:
    """The QML document of a style model."""
    renderer = {"single": _single, "categorized": _categorized, "graduated": _graduated}[model.kind](model)
    return qml(renderer, labels=model.labels, kind=model.geometry)


def layer_style(spec: LayerSpec) -> Style:
    """The default style of a catalog layer (land use by code, streets by class, others by hint)."""
    model = layer_model(spec)
    return Style(
        schema=spec.schema,
        table=spec.table,
        name=f"{STYLE_PREFIX}: {spec.title_vi} / {spec.title_en}",
        description=(
            f"Kiểu mặc định của dothi cho lớp {spec.qualified_name} (từ danh mục lớp). / "
            f"dothi default style of {spec.qualified_name} (from the layer catalog)."
        ),
        qml=model_qml(model),
        renderer=_RENDERERS[model.kind],  # type: ignore[arg-type]
    )


def indicator_style(
    spec: IndicatorSpec,
    values: Sequence[float | None],
    *,
    method: Method = "jenks",
    classes: int = 5,
    span: tuple[float, float] | None = None,
) -> Style:
    """The ward choropleth of an indicator, classed on its current ward values (the outer edges
    widened to ``span``, the range of every vintage, when given)."""
    model = indicator_model(spec, values, method=method, classes=classes, span=span)
    edges = model.edges
    how = {"jenks": "Jenks (ngắt tự nhiên / natural breaks)", "quantile": "phân vị / quantiles"}[method]
    return Style(
        schema=ANALYSIS_SCHEMA,
        table=spec.table,
        name=f"{STYLE_PREFIX}: {spec.title_vi} theo phường / {spec.title_en} by ward",
        description=(
            f"Bản đồ phân tầng màu cấp phường của {spec.title_vi} [{spec.unit}], "
            f"{len(edges) - 1} lớp, {how}. / Ward choropleth of {spec.title_en} [{spec.unit}], "
            f"{len(edges) - 1} classes. Edges: {', '.join(format_number(e) for e in edges)}."
        ),
        qml=model_qml(model),
        renderer="graduatedSymbol",
    )
