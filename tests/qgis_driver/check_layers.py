"""Add layers as a planner does (PostGIS connection, OGC API Features) and report what QGIS sees.

stdin: {"connection": {host, port, dbname, user}, "postgres": [{schema, table, key}],
        "oapif": [{url, typename}]}; the password comes from PGPASSWORD.
stdout: {"postgres": {"schema.table": {...}}, "oapif": {"typename": {...}}}
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import answer, renderer_info, start
from qgis.core import QgsDataSourceUri, QgsVectorLayer


def postgres(conn: dict, item: dict) -> dict:
    uri = QgsDataSourceUri()
    uri.setConnection(conn["host"], str(conn["port"]), conn["dbname"], conn["user"], "")
    uri.setDataSource(item["schema"], item["table"], "geom", "", item["key"])
    layer = QgsVectorLayer(uri.uri(False), item["table"], "postgres")
    out = {"valid": layer.isValid()}
    if layer.isValid():
        out["feature_count"] = layer.featureCount()
        out.update(renderer_info(layer))
    return out


def oapif(item: dict) -> dict:
    uri = QgsDataSourceUri()
    uri.setParam("url", item["url"])
    uri.setParam("typename", item["typename"])
    layer = QgsVectorLayer(uri.uri(False), item["typename"], "OAPIF")
    out = {"valid": layer.isValid()}
    if layer.isValid():
        out["feature_count"] = sum(1 for _ in layer.getFeatures())
        out["fields"] = layer.fields().names()
        out["geometry_type"] = layer.geometryType()
    return out


def vectortile(item: dict) -> dict:
    """An XYZ vector-tile layer of our OGC API Tiles, rendered over the given CRS84 bbox."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsMapRendererSequentialJob,
        QgsMapSettings,
        QgsProject,
        QgsRectangle,
        QgsVectorTileBasicRenderer,
        QgsVectorTileLayer,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    ds = QgsDataSourceUri()
    ds.setParam("type", "xyz")
    ds.setParam("url", item["url"])
    ds.setParam("zmin", "0")
    ds.setParam("zmax", "16")
    layer = QgsVectorTileLayer(bytes(ds.encodedUri()).decode(), item["name"])
    out = {"valid": layer.isValid()}
    if not layer.isValid():
        return out
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles(
        QgsVectorTileBasicRenderer.simpleStyle(
            QColor("#d95f0e"),
            QColor("#000000"),
            0.5,
            QColor("#000000"),
            0.8,
            QColor("#000000"),
            QColor("#000000"),
            2.0,
        )
    )
    layer.setRenderer(renderer)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    to_3857 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance())
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(crs)
    settings.setExtent(to_3857.transformBoundingBox(QgsRectangle(*item["bbox"])))
    settings.setOutputSize(QSize(400, 400))
    settings.setBackgroundColor(QColor("#ffffff"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    white = QColor("#ffffff").rgb()
    drawn = sum(1 for x in range(0, 400, 4) for y in range(0, 400, 4) if image.pixel(x, y) != white)
    out["drawn_share"] = drawn / (100 * 100)
    return out


def main() -> None:
    app, request = start()
    conn = request["connection"]
    result = {
        "postgres": {f"{i['schema']}.{i['table']}": postgres(conn, i) for i in request.get("postgres", [])},
        "oapif": {i["typename"]: oapif(i) for i in request.get("oapif", [])},
        "vectortile": {i["name"]: vectortile(i) for i in request.get("vectortile", [])},
    }
    answer(result)
    app.exitQgis()


if __name__ == "__main__":
    main()
