"""QGIS styles (QML) generated from the layer catalog's style hints and the indicator registry.

Vector layers get a single-symbol renderer (fill, stroke, stroke width from :class:`StyleHint`) and,
when the hint names a label field, simple labels.  Indicators get a graduated ward choropleth of
their value column: the classification expression keeps ``level = 'ward'`` rows only (the city row
has no value to draw), the class edges come from :func:`api_config.qgis.breaks.classify` on the
current values, the colours from a ColorBrewer ramp chosen by the indicator's theme.

The QML is written from string templates (QGIS 3.22 format, read by every later 3.x), so no QGIS
installation is needed to generate it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal
from xml.sax.saxutils import quoteattr

from analysis.registry import IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.qgis.breaks import Method, classify
from layers.catalog import LayerSpec

QGIS_VERSION = "3.22.16-Białowieża"
GEOMETRY_COLUMN = "geom"
STYLE_PREFIX = "dothi"
SymbolType = Literal["fill", "line", "marker"]

#: 5-class ColorBrewer ramps (light to dark) by indicator theme.
RAMPS: dict[str, tuple[str, ...]] = {
    "land": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),  # YlOrRd
    "health": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),  # Reds
    "education": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),  # Blues
    "safety": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),  # Purples
    "mobility": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),  # YlGnBu
    "environment": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),  # Greens
}
#: Light strokes (roads drawn in white) get a grey casing so they show on a white canvas.
CASING = "#9a9a9a"
MARKER_SIZE_MM = 2.6


@dataclass(frozen=True)
class Style:
    """One row of ``layer_styles``: which table, the style's name and its QML."""

    schema: str
    table: str
    name: str
    description: str
    qml: str
    renderer: Literal["singleSymbol", "graduatedSymbol"]
    geometry_column: str = GEOMETRY_COLUMN


def rgba(colour: str, *, alpha: int = 255) -> str:
    """``#rrggbb`` → QGIS's ``r,g,b,a``."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {colour!r} is not #rrggbb")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{alpha}"


def _luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


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


def line_layer(stroke: str, width: float) -> str:
    return _symbol_layer(
        "SimpleLine",
        {
            "line_color": rgba(stroke),
            "line_style": "solid",
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


def hint_symbol(spec: LayerSpec) -> str:
    """The symbol a layer's style hint describes."""
    hint = spec.style
    if spec.geometry.endswith("Polygon"):
        return symbol("fill", [fill_layer(hint.fill, hint.stroke, hint.stroke_width)])
    if spec.geometry.endswith("LineString"):
        parts = [line_layer(hint.stroke, hint.stroke_width)]
        if _luminance(hint.stroke) > 0.9:
            parts.insert(0, line_layer(CASING, hint.stroke_width + 0.4))
        return symbol("line", parts)
    return symbol("marker", [marker_layer(hint.fill or "#666666", hint.stroke, hint.stroke_width)])


#: QgsPalLayerSettings placement: OverPoint for polygons, Line for lines, AroundPoint for points.
_PLACEMENT = {"fill": "1", "line": "2", "marker": "0"}


def labeling(field: str, kind: SymbolType) -> str:
    """Simple labels of ``field`` with a white halo."""
    return (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={quoteattr(field)} isExpression="0" fontSize="8" fontSizeUnit="Point" '
        'textColor="40,40,40,255" textOpacity="1" fontWeight="50" namedStyle="" blendMode="0" '
        'multilineHeight="1" allowHtml="0">'
        '<text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" '
        'bufferColor="255,255,255,255" bufferOpacity="1" bufferNoFill="1" bufferJoinStyle="128"/>'
        "</text-style>"
        f'<placement placement="{_PLACEMENT[kind]}" dist="1" distUnits="MM" priority="5" '
        'placementFlags="10" polygonPlacementFlags="2"/>'
        '<rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" '
        'upsidedownLabels="0" labelPerPart="0" mergeLines="1" scaleVisibility="0"/>'
        "</settings></labeling>"
    )


def qml(renderer: str, *, label: str | None = None, kind: SymbolType = "fill") -> str:
    """A complete QML document (symbology and labels)."""
    labels = labeling(label, kind) if label else ""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        f'<qgis version="{QGIS_VERSION}" styleCategories="Symbology|Labeling" '
        f'labelsEnabled="{1 if label else 0}">'
        f"{renderer}{labels}</qgis>\n"
    )


def _kind(spec: LayerSpec) -> SymbolType:
    if spec.geometry.endswith("Polygon"):
        return "fill"
    return "line" if spec.geometry.endswith("LineString") else "marker"


def layer_style(spec: LayerSpec) -> Style:
    """The default style of a catalog layer, from its style hint."""
    renderer = (
        '<renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0">'
        f"<symbols>{hint_symbol(spec)}</symbols><rotation/><sizescale/></renderer-v2>"
    )
    return Style(
        schema=spec.schema,
        table=spec.table,
        name=f"{STYLE_PREFIX}: {spec.title_vi} / {spec.title_en}",
        description=(
            f"Kiểu mặc định của dothi cho lớp {spec.qualified_name} (từ danh mục lớp). / "
            f"dothi default style of {spec.qualified_name} (from the layer catalog)."
        ),
        qml=qml(renderer, label=spec.style.label, kind=_kind(spec)),
        renderer="singleSymbol",
    )


def format_number(value: float) -> str:
    """``23000.0`` → ``23 000``; keeps the decimals a rounded edge has."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.6g}".replace(",", " ")


def ward_expression(value_column: str) -> str:
    """QGIS expression: the value on ward rows, NULL elsewhere (so the city row is not drawn)."""
    column = '"' + value_column.replace('"', '""') + '"'
    return f"CASE WHEN \"level\" = 'ward' THEN {column} END"


def _ramp_colours(theme: str, classes: int) -> list[str]:
    ramp = RAMPS.get(theme, RAMPS["land"])
    if classes == 1:
        return [ramp[-1]]
    return [ramp[round(i * (len(ramp) - 1) / (classes - 1))] for i in range(classes)]


def graduated_renderer(
    expression: str, edges: Sequence[float], colours: Sequence[str], unit: str, *, method: Method = "jenks"
) -> str:
    """A QGIS graduated renderer with the given class edges and colours."""
    ranges, symbols = [], []
    for i, (lower, upper) in enumerate(pairwise(edges)):
        label = f"{format_number(lower)} – {format_number(upper)} {unit}"
        ranges.append(
            f'<range lower="{lower!r}" upper="{upper!r}" symbol="{i}" '
            f'label={quoteattr(label)} render="true"/>'
        )
        symbols.append(symbol("fill", [fill_layer(colours[i], "#555555", 0.26)], name=str(i)))
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
    return (
        f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(expression)} graduatedMethod="GraduatedColor" '
        'symbollevels="0" forceraster="0" enableorderby="0">'
        f"<ranges>{''.join(ranges)}</ranges><symbols>{''.join(symbols)}</symbols>"
        f"<source-symbol>{symbol('fill', [fill_layer(colours[0], '#555555', 0.26)])}</source-symbol>"
        f'<colorramp type="gradient" name="[source]">{ramp}</colorramp>'
        f'<classificationMethod id="{"Jenks" if method == "jenks" else "Quantile"}">'
        '<symmetricMode enabled="0" symmetrypoint="0" astride="0"/>'
        '<labelFormat format="%1 – %2" labelprecision="0" trimtrailingzeroes="1"/>'
        "<parameters><Option/></parameters><extraInformation/></classificationMethod>"
        "<rotation/><sizescale/></renderer-v2>"
    )


def indicator_style(
    spec: IndicatorSpec, values: Sequence[float | None], *, method: Method = "jenks", classes: int = 5
) -> Style:
    """The ward choropleth of an indicator, classed on its current ward values."""
    edges = classify(values, method=method, classes=classes)
    colours = _ramp_colours(spec.theme, len(edges) - 1)
    renderer = graduated_renderer(
        ward_expression(spec.value_column), edges, colours, spec.unit, method=method
    )
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
        qml=qml(renderer, label="name_vi", kind="fill"),
        renderer="graduatedSymbol",
    )
