"""One description of how a collection is drawn, written out as QGIS QML, SLD 1.1 and a MapLibre /
Mapbox GL style (:mod:`api_config.styling.encode`, :mod:`api_config.qgis.styles`).

A :class:`StyleModel` is a renderer (single symbol, categories of a field, or graduated classes of a
number), its classes with bilingual legend labels, and optional labels.  It is built from the layer
catalog (style hints, land-use codes, street classes) and, for indicators, from the registry and the
class edges of :mod:`api_config.styling.breaks` — computed once, so every client draws the same
classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any, Literal

from analysis.registry import IndicatorSpec
from api_config.styling.breaks import Method, classify, widen
from api_config.styling.palette import (
    LAND_USE_COLOURS,
    LAND_USE_STROKE,
    RAMPS,
    ROAD_CLASS_TITLES,
    ROAD_SYMBOLS,
    land_use_titles,
    ramp_colours,
)
from layers.catalog import LAND_USE, ROADS, LayerSpec

Geometry = Literal["fill", "line", "marker"]
Kind = Literal["single", "categorized", "graduated"]
#: Light strokes (roads drawn in white) get a grey casing so they show on a white canvas.
CASING = "#9a9a9a"
MARKER_SIZE_MM = 2.6


@dataclass(frozen=True)
class Symbol:
    """Fill (``None``: hollow), stroke, stroke width in mm, optional casing under a line, dashes."""

    stroke: str
    width: float
    fill: str | None = None
    casing: str | None = None
    dashed: bool = False


@dataclass(frozen=True)
class StyleClass:
    """One legend entry: a category ``value`` or a range ``(lower, upper]``, and its symbol."""

    symbol: Symbol
    label_vi: str
    label_en: str
    value: str | None = None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class Labels:
    """Label ``field``; when ``only_values`` is set, only features whose ``only_field`` is one of them."""

    field: str
    only_field: str | None = None
    only_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class StyleModel:
    """How one collection is drawn."""

    id: str
    title_vi: str
    title_en: str
    geometry: Geometry
    kind: Kind
    default: Symbol
    attribute: str | None = None
    classes: tuple[StyleClass, ...] = ()
    labels: Labels | None = None
    #: Only features with these attribute values are drawn (``level = 'ward'`` for indicators).
    where: tuple[tuple[str, str], ...] = ()
    method: Method | None = None
    unit: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def edges(self) -> list[float]:
        if self.kind != "graduated" or not self.classes:
            return []
        return [float(self.classes[0].lower or 0.0), *(float(c.upper or 0.0) for c in self.classes)]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def geometry_of(spec: LayerSpec) -> Geometry:
    if spec.geometry.endswith("Polygon"):
        return "fill"
    return "line" if spec.geometry.endswith("LineString") else "marker"


def luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def hint_symbol(spec: LayerSpec) -> Symbol:
    hint = spec.style
    kind = geometry_of(spec)
    if kind == "line":
        casing = CASING if luminance(hint.stroke) > 0.9 else None
        return Symbol(stroke=hint.stroke, width=hint.stroke_width, casing=casing)
    fill = hint.fill if kind == "fill" else (hint.fill or "#666666")
    return Symbol(stroke=hint.stroke, width=hint.stroke_width, fill=fill)


def _land_use(spec: LayerSpec) -> StyleModel:
    classes = []
    for code, colour in LAND_USE_COLOURS.items():
        vi, en = land_use_titles(code)
        classes.append(
            StyleClass(Symbol(stroke=LAND_USE_STROKE, width=0.15, fill=colour), vi, en, value=code)
        )
    return StyleModel(
        id=spec.name,
        title_vi=spec.title_vi,
        title_en=spec.title_en,
        geometry="fill",
        kind="categorized",
        attribute="code",
        classes=tuple(classes),
        default=Symbol(stroke=LAND_USE_STROKE, width=0.15, fill="#e8d8a8"),
    )


def _roads(spec: LayerSpec) -> StyleModel:
    classes = []
    # drawn bottom to top: paths first, motorways last (QGIS draws categories in order)
    for road_class, sym in reversed(ROAD_SYMBOLS.items()):
        vi, en = ROAD_CLASS_TITLES.get(road_class, (road_class, road_class))
        symbol = Symbol(stroke=sym.colour, width=sym.width, casing=sym.casing, dashed=sym.dashed)
        classes.append(StyleClass(symbol, vi, en, value=road_class))
    main = tuple(c for c, s in ROAD_SYMBOLS.items() if s.main)
    return StyleModel(
        id=spec.name,
        title_vi=spec.title_vi,
        title_en=spec.title_en,
        geometry="line",
        kind="categorized",
        attribute="road_class",
        classes=tuple(classes),
        default=hint_symbol(spec),
        labels=Labels("name", only_field="road_class", only_values=main),
    )


def layer_model(spec: LayerSpec) -> StyleModel:
    """The default style of a catalog layer: land use by code, streets by class, others by hint."""
    if spec.name == LAND_USE.name:
        return _land_use(spec)
    if spec.name == ROADS.name:
        return _roads(spec)
    return StyleModel(
        id=spec.name,
        title_vi=spec.title_vi,
        title_en=spec.title_en,
        geometry=geometry_of(spec),
        kind="single",
        default=hint_symbol(spec),
        labels=Labels(spec.style.label) if spec.style.label else None,
    )


def format_number(value: float) -> str:
    """``23000.0`` → ``23 000``; keeps the decimals a rounded edge has."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.6g}".replace(",", " ")


def graduated_classes(edges: Sequence[float], colours: Sequence[str], unit: str) -> tuple[StyleClass, ...]:
    out = []
    for i, (lower, upper) in enumerate(pairwise(edges)):
        label = f"{format_number(lower)} – {format_number(upper)} {unit}"
        sym = Symbol(stroke="#555555", width=0.26, fill=colours[i])
        out.append(StyleClass(sym, label, label, lower=float(lower), upper=float(upper)))
    return tuple(out)


def indicator_model(
    spec: IndicatorSpec,
    values: Sequence[float | None],
    *,
    method: Method = "jenks",
    classes: int = 5,
    collection: str | None = None,
    span: tuple[float, float] | None = None,
) -> StyleModel:
    """The ward choropleth of an indicator, classed once on its current ward values; ``span``
    (the range of every vintage's values) widens the outer classes so every ward is drawn."""
    edges = classify(values, method=method, classes=classes)
    if span is not None:
        edges = widen(edges, *span)
    colours = ramp_colours(RAMPS.get(spec.theme, RAMPS["land"]), len(edges) - 1)
    return StyleModel(
        id=collection or spec.id,
        title_vi=spec.title_vi,
        title_en=spec.title_en,
        geometry="fill",
        kind="graduated",
        attribute=spec.value_column,
        classes=graduated_classes(edges, colours, spec.unit),
        default=Symbol(stroke="#555555", width=0.26, fill=None),
        labels=Labels("name_vi"),
        where=(("level", "ward"),),
        method=method,
        unit=spec.unit,
    )
