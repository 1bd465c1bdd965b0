"""Load dothi's served styles into QGIS as a client does and report what QGIS made of them.

stdin: {"connection": {...}, "layer": {schema, table, key, subset},
        "qml": text, "sld": text, "mapbox": {...}, "tiles": {"url", "bbox"}}
stdout: {"qml": {renderer info}, "sld": {renderer, rules: [{label, filter, colour}]},
         "mapbox": {"converted": bool, "styles": int, "drawn_share", "colours"}}
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import answer, renderer_info, start
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsMapLayerStyle,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def postgres(conn: dict, item: dict) -> QgsVectorLayer:
    uri = QgsDataSourceUri()
    uri.setConnection(conn["host"], str(conn["port"]), conn["dbname"], conn["user"], "")
    uri.setDataSource(item["schema"], item["table"], "geom", item.get("subset", ""), item["key"])
    return QgsVectorLayer(uri.uri(False), item["table"], "postgres")


def with_qml(conn: dict, item: dict, qml: str) -> dict:
    layer = postgres(conn, item)
    ok = QgsMapLayerStyle(qml).writeToLayer(layer)
    return {"applied": ok, "valid": layer.isValid(), **renderer_info(layer)}


def with_sld(conn: dict, item: dict, sld: str) -> dict:
    layer = postgres(conn, item)
    with tempfile.NamedTemporaryFile("w", suffix=".sld", delete=False, encoding="utf-8") as fh:
        fh.write(sld)
    message, ok = layer.loadSldStyle(fh.name)
    renderer = layer.renderer()
    out = {"applied": ok, "message": message, "renderer": renderer.type() if renderer else None}
    if renderer is not None and renderer.type() == "RuleRenderer":
        out["rules"] = [
            {
                "label": rule.label(),
                "filter": rule.filterExpression(),
                "colour": rule.symbol().color().name() if rule.symbol() else None,
            }
            for rule in renderer.rootRule().children()
        ]
    out["labels_enabled"] = layer.labelsEnabled()
    return out


def with_mapbox(style: dict, tiles: dict) -> dict:
    converter = QgsMapBoxGlStyleConverter()
    result = converter.convert(style, QgsMapBoxGlStyleConversionContext())
    out = {"converted": result == QgsMapBoxGlStyleConverter.Success, "error": converter.errorMessage()}
    if not out["converted"]:
        return out
    renderer = converter.renderer()
    out["styles"] = len(renderer.styles())
    out["style_names"] = [s.styleName() for s in renderer.styles()]
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", tiles["url"])
    uri.setParam("zmin", "0")
    uri.setParam("zmax", "16")
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "tiles")
    layer.setRenderer(renderer)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    to_3857 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance())
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(crs)
    settings.setExtent(to_3857.transformBoundingBox(QgsRectangle(*tiles["bbox"])))
    settings.setOutputSize(QSize(400, 400))
    settings.setBackgroundColor(QColor("#ffffff"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    pixels = [image.pixel(x, y) & 0xFFFFFF for x in range(0, 400, 4) for y in range(0, 400, 4)]
    out["drawn_share"] = sum(1 for p in pixels if p != 0xFFFFFF) / len(pixels)
    counts: dict[str, int] = {}
    for p in pixels:
        if p != 0xFFFFFF:
            counts[f"#{p:06x}"] = counts.get(f"#{p:06x}", 0) + 1
    out["colours"] = sorted(counts, key=counts.get, reverse=True)[:10]  # the most frequent
    return out


def main() -> None:
    app, request = start()
    conn, item = request["connection"], request["layer"]
    result = {}
    if request.get("qml"):
        result["qml"] = with_qml(conn, item, request["qml"])
    if request.get("sld"):
        result["sld"] = with_sld(conn, item, request["sld"])
    if request.get("mapbox"):
        result["mapbox"] = with_mapbox(request["mapbox"], request["tiles"])
    answer(result)
    app.exitQgis()


if __name__ == "__main__":
    main()
