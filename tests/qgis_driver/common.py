"""Shared by the PyQGIS test scripts: start headless QGIS, read the JSON request, answer JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from qgis.core import QgsApplication


def start() -> tuple[QgsApplication, dict[str, Any]]:
    request = json.loads(sys.stdin.read())
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    return app, request


def answer(result: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def renderer_info(layer: Any) -> dict[str, Any]:
    """Renderer type, first symbol colours and graduated ranges of a vector layer."""
    renderer = layer.renderer()
    info: dict[str, Any] = {"renderer": renderer.type() if renderer else None}
    if renderer is None:
        return info
    symbols = renderer.symbols(_context(layer))
    if symbols:
        top = symbols[0]
        sl = top.symbolLayer(top.symbolLayerCount() - 1)  # the hint's layer (roads have a casing below)
        info["symbol_type"] = symbols[0].type()
        info["layer_class"] = sl.layerType()
        info["color"] = sl.color().name()
        info["stroke_color"] = sl.strokeColor().name() if hasattr(sl, "strokeColor") else None
        info["stroke_width"] = sl.strokeWidth() if hasattr(sl, "strokeWidth") else sl.width()
        info["symbol_layers"] = top.symbolLayerCount()
    if renderer.type() == "graduatedSymbol":
        info["class_attribute"] = renderer.classAttribute()
        info["ranges"] = [
            {
                "lower": r.lowerValue(),
                "upper": r.upperValue(),
                "color": r.symbol().color().name(),
                "label": r.label(),
            }
            for r in renderer.ranges()
        ]
    if renderer.type() == "categorizedSymbol":
        info["class_attribute"] = renderer.classAttribute()
        info["categories"] = [
            {"value": c.value(), "color": c.symbol().color().name(), "label": c.label()}
            for c in renderer.categories()
        ]
    info["labels_enabled"] = layer.labelsEnabled()
    labeling = layer.labeling()
    info["label_field"] = (
        labeling.settings().fieldName if labeling is not None and labeling.type() == "simple" else None
    )
    return info


def _context(layer: Any) -> Any:
    from qgis.core import QgsRenderContext

    ctx = QgsRenderContext()
    ctx.expressionContext().appendScope(layer.createExpressionContextScope())
    return ctx
