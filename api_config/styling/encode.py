"""A :class:`~api_config.styling.model.StyleModel` written as a MapLibre / Mapbox GL style (version 8)
and as OGC SLD 1.1 (Symbology Encoding 1.1).  QML is :func:`api_config.qgis.styles.model_qml`.

Both encodings draw one rule (style layer) per class with a filter, the form every client reads —
MapLibre, QGIS's Mapbox GL converter and its SLD reader: a category is ``attribute = value``, a
graduated class ``lower < value <= upper`` (the first class also holds ``lower``), and the model's
conditions (``level = 'ward'`` for indicators) are added to every filter.  The MapLibre style also
carries the classification under ``metadata`` (``dothi:classes``, ``dothi:edges``), for legends.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from api_config.styling.model import MARKER_SIZE_MM, StyleClass, StyleModel, Symbol

#: Millimetres to CSS pixels (96 dpi), the unit of MapLibre and of SLD without ``uom``.
PX_PER_MM = 96 / 25.4
MAPBOX_MEDIA = "application/vnd.mapbox.style+json"
SLD_MEDIA = "application/vnd.ogc.sld+xml;version=1.1"
QML_MEDIA = "application/vnd.qgis.qml"
CHOROPLETH_OPACITY = 0.8


def _px(mm: float) -> float:
    return round(mm * PX_PER_MM, 2)


# --- MapLibre / Mapbox GL -------------------------------------------------------------------------


def _class_filter(model: StyleModel, cls: StyleClass | None, first: bool) -> list[Any]:
    tests: list[Any] = [["==", ["get", k], v] for k, v in model.where]
    if cls is not None and model.kind == "categorized":
        tests.append(["==", ["get", model.attribute], cls.value])
    elif cls is not None and model.kind == "graduated":
        value = ["to-number", ["get", model.attribute]]
        tests += [[">=" if first else ">", value, cls.lower], ["<=", value, cls.upper]]
    return ["all", *tests]


def _mapbox_layers(model: StyleModel, lid: str, sym: Symbol, base: dict[str, Any]) -> list[dict[str, Any]]:
    if model.geometry == "fill":
        fill_opacity = CHOROPLETH_OPACITY if model.kind == "graduated" else 1.0
        out = []
        if sym.fill:
            out.append({**base, "id": f"{lid}-fill", "type": "fill",
                        "paint": {"fill-color": sym.fill, "fill-opacity": fill_opacity}})  # fmt: skip
        out.append({**base, "id": f"{lid}-outline", "type": "line",
                    "paint": {"line-color": sym.stroke, "line-width": _px(sym.width)}})  # fmt: skip
        return out
    if model.geometry == "line":
        paint: dict[str, Any] = {"line-color": sym.stroke, "line-width": _px(sym.width)}
        if sym.dashed:
            paint["line-dasharray"] = [3, 2]
        layout = {"line-cap": "round", "line-join": "round"}
        return [{**base, "id": f"{lid}-line", "type": "line", "layout": layout, "paint": paint}]
    paint = {
        "circle-color": sym.fill or "#666666",
        "circle-radius": _px(MARKER_SIZE_MM) / 2,
        "circle-stroke-color": sym.stroke,
        "circle-stroke-width": _px(sym.width),
    }
    return [{**base, "id": f"{lid}-circle", "type": "circle", "paint": paint}]


def _casing(model: StyleModel, lid: str, sym: Symbol, base: dict[str, Any]) -> list[dict[str, Any]]:
    if model.geometry != "line" or not sym.casing:
        return []
    paint = {"line-color": sym.casing, "line-width": _px(sym.width + 0.4)}
    return [{**base, "id": f"{lid}-casing", "type": "line", "layout": {"line-cap": "round"}, "paint": paint}]


def _legend(model: StyleModel) -> list[dict[str, Any]]:
    out = []
    for cls in model.classes:
        entry: dict[str, Any] = {"label_vi": cls.label_vi, "label_en": cls.label_en,
                                 "colour": cls.symbol.fill or cls.symbol.stroke}  # fmt: skip
        if model.kind == "categorized":
            entry["value"] = cls.value
        else:
            entry["lower"], entry["upper"] = cls.lower, cls.upper
        out.append(entry)
    return out


def mapbox_style(model: StyleModel, *, tiles: str, source_layer: str, maxzoom: int = 16) -> dict[str, Any]:
    """A MapLibre / Mapbox GL style (spec v8) drawing the collection from our vector tiles.

    Parameters
    ----------
    model:
        The collection's style.
    tiles:
        The tile URL template (``…/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt``).
    source_layer:
        The layer name inside the tiles.
    """
    source = f"dothi-{model.id}"
    entries: list[tuple[str, Symbol, StyleClass | None]] = (
        [(f"{model.id}-{i}", c.symbol, c) for i, c in enumerate(model.classes)]
        if model.classes
        else [(model.id, model.default, None)]
    )
    casings, layers = [], []
    for i, (lid, sym, cls) in enumerate(entries):
        base: dict[str, Any] = {"source": source, "source-layer": source_layer}
        flt = _class_filter(model, cls, i == 0)
        if len(flt) > 1:
            base["filter"] = flt
        casings += _casing(model, lid, sym, base)
        layers += _mapbox_layers(model, lid, sym, base)
    metadata: dict[str, Any] = {
        "dothi:title_vi": model.title_vi,
        "dothi:title_en": model.title_en,
        "dothi:kind": model.kind,
        "dothi:attribute": model.attribute,
        "dothi:where": dict(model.where),
        "dothi:classes": _legend(model),
    }
    if model.kind == "graduated":
        metadata |= {"dothi:edges": model.edges, "dothi:method": model.method, "dothi:unit": model.unit}
    if model.labels:
        metadata["dothi:label"] = model.labels.field
    return {
        "version": 8,
        "name": f"{model.title_vi} / {model.title_en}",
        "metadata": metadata,
        "sources": {source: {"type": "vector", "tiles": [tiles], "minzoom": 0, "maxzoom": maxzoom}},
        "layers": casings + layers,
    }


# --- SLD 1.1 ---------------------------------------------------------------------------------------


def _param(name: str, value: str | float) -> str:
    return f'<se:SvgParameter name="{name}">{escape(str(value))}</se:SvgParameter>'


def _prop(name: str, value: str | float, op: str) -> str:
    return (
        f"<ogc:{op}><ogc:PropertyName>{escape(name)}</ogc:PropertyName>"
        f"<ogc:Literal>{escape(str(value))}</ogc:Literal></ogc:{op}>"
    )


def _sld_filter(model: StyleModel, cls: StyleClass | None, first: bool) -> str:
    tests = [_prop(k, v, "PropertyIsEqualTo") for k, v in model.where]
    if cls is not None and model.kind == "categorized":
        tests.append(_prop(model.attribute or "", cls.value or "", "PropertyIsEqualTo"))
    elif cls is not None and model.kind == "graduated":
        low = "PropertyIsGreaterThanOrEqualTo" if first else "PropertyIsGreaterThan"
        tests += [
            _prop(model.attribute or "", repr(cls.lower), low),
            _prop(model.attribute or "", repr(cls.upper), "PropertyIsLessThanOrEqualTo"),
        ]
    if not tests:
        return ""
    body = tests[0] if len(tests) == 1 else f"<ogc:And>{''.join(tests)}</ogc:And>"
    return f"<ogc:Filter>{body}</ogc:Filter>"


def _stroke(colour: str, width_mm: float, *, dashed: bool = False) -> str:
    dash = _param("stroke-dasharray", f"{_px(1.5)} {_px(1)}") if dashed else ""
    return (
        f"<se:Stroke>{_param('stroke', colour)}{_param('stroke-width', _px(width_mm))}"
        f"{_param('stroke-linejoin', 'round')}{_param('stroke-linecap', 'round')}{dash}</se:Stroke>"
    )


def _symbolizers(model: StyleModel, sym: Symbol) -> str:
    if model.geometry == "fill":
        fill = f"<se:Fill>{_param('fill', sym.fill)}</se:Fill>" if sym.fill else ""
        return f"<se:PolygonSymbolizer>{fill}{_stroke(sym.stroke, sym.width)}</se:PolygonSymbolizer>"
    if model.geometry == "line":
        casing = (
            f"<se:LineSymbolizer>{_stroke(sym.casing, sym.width + 0.4)}</se:LineSymbolizer>"
            if sym.casing
            else ""
        )
        line = _stroke(sym.stroke, sym.width, dashed=sym.dashed)
        return f"{casing}<se:LineSymbolizer>{line}</se:LineSymbolizer>"
    return (
        "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>"
        f"<se:Fill>{_param('fill', sym.fill or '#666666')}</se:Fill>{_stroke(sym.stroke, sym.width)}"
        f"</se:Mark><se:Size>{_px(MARKER_SIZE_MM)}</se:Size></se:Graphic></se:PointSymbolizer>"
    )


def _rule(name: str, title: str, flt: str, symbolizers: str) -> str:
    return (
        f"<se:Rule><se:Name>{escape(name)}</se:Name><se:Description><se:Title>{escape(title)}"
        f"</se:Title></se:Description>{flt}{symbolizers}</se:Rule>"
    )


def _label_rule(model: StyleModel) -> str:
    labels = model.labels
    if labels is None:
        return ""
    flt = ""
    if labels.only_field and labels.only_values:
        tests = [_prop(labels.only_field, v, "PropertyIsEqualTo") for v in labels.only_values]
        either = tests[0] if len(tests) == 1 else f"<ogc:Or>{''.join(tests)}</ogc:Or>"
        flt = f"<ogc:Filter>{either}</ogc:Filter>"
    field = escape(labels.field)
    text = (
        f"<se:TextSymbolizer><se:Label><ogc:PropertyName>{field}</ogc:PropertyName></se:Label>"
        f"<se:Font>{_param('font-family', 'Sans Serif')}{_param('font-size', 12)}</se:Font>"
        f"<se:Halo><se:Radius>2</se:Radius><se:Fill>{_param('fill', '#ffffff')}</se:Fill></se:Halo>"
        f"<se:Fill>{_param('fill', '#282828')}</se:Fill></se:TextSymbolizer>"
    )
    return _rule("labels", "Nhãn / Labels", flt, text)


def sld_style(model: StyleModel) -> str:
    """The style as an SLD 1.1 document (a ``NamedLayer`` named after the collection)."""
    rules = []
    if model.classes:
        for i, cls in enumerate(model.classes):
            title = f"{cls.label_vi} / {cls.label_en}" if cls.label_vi != cls.label_en else cls.label_vi
            rules.append(_rule(f"{model.id}-{i}", title, _sld_filter(model, cls, i == 0),
                               _symbolizers(model, cls.symbol)))  # fmt: skip
    else:
        title = f"{model.title_vi} / {model.title_en}"
        rules.append(
            _rule(model.id, title, _sld_filter(model, None, True), _symbolizers(model, model.default))
        )
    rules.append(_label_rule(model))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" '
        'xmlns:se="http://www.opengis.net/se" xmlns:ogc="http://www.opengis.net/ogc" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.opengis.net/sld '
        'http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">'
        f"<NamedLayer><se:Name>{escape(model.id)}</se:Name><UserStyle><se:Name>default</se:Name>"
        f"<se:Description><se:Title>{escape(model.title_vi)} / {escape(model.title_en)}</se:Title>"
        "</se:Description>"
        f"<se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle></UserStyle></NamedLayer>"
        "</StyledLayerDescriptor>\n"
    )
