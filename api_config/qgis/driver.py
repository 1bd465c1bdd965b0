"""Build dothi's QGIS project with PyQGIS — run by the system Python (``python3-qgis``), not the venv.

Reads on stdin the JSON written by :func:`api_config.qgis.project.build_project` (the plan, the
connection without password, where to write) and writes one JSON line on stdout: the layers, whether
each loaded, and the files written.  The database password comes from ``PGPASSWORD`` (libpq), so it
never enters the project.  Uses only the standard library and PyQGIS.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsMapLayer,
    QgsMapLayerStyle,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsVectorLayer,
    QgsVectorTileBasicRenderer,
    QgsVectorTileLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor


def postgres_layer(name: str, src: dict[str, Any], conn: dict[str, Any]) -> QgsMapLayer:
    uri = QgsDataSourceUri()
    uri.setConnection(conn["host"], str(conn["port"]), conn["dbname"], conn["user"], "")
    uri.setDataSource(src["schema"], src["table"], src["geom"], src.get("subset") or "", src["key"])
    uri.setWkbType(QgsWkbTypes.parseType(src["geometry"]))
    uri.setSrid(str(src["srid"]))
    # The default style comes from public.layer_styles (written by `dothi qgis styles`).
    return QgsVectorLayer(uri.uri(False), name, "postgres")


def oapif_layer(name: str, src: dict[str, Any], qml: str | None) -> QgsMapLayer:
    uri = QgsDataSourceUri()
    uri.setParam("url", src["url"])
    uri.setParam("typename", src["typename"])
    layer = QgsVectorLayer(uri.uri(False), name, "OAPIF")
    if qml and layer.isValid():
        QgsMapLayerStyle(qml).writeToLayer(layer)
    return layer


def vectortile_layer(name: str, src: dict[str, Any]) -> QgsMapLayer:
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", src["url"])
    uri.setParam("zmin", str(src["zmin"]))
    uri.setParam("zmax", str(src["zmax"]))
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), name)
    fill, stroke = QColor(src["fill"]), QColor(src["stroke"])
    styles = QgsVectorTileBasicRenderer.simpleStyle(
        fill, stroke, src["width"], stroke, src["width"], fill, stroke, 2.6
    )
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles(styles)
    layer.setRenderer(renderer)
    return layer


def make_layer(spec: dict[str, Any], conn: dict[str, Any]) -> QgsMapLayer:
    kind, name, src = spec["kind"], spec["name"], spec["source"]
    if kind == "postgres":
        return postgres_layer(name, src, conn)
    if kind == "oapif":
        return oapif_layer(name, src, spec.get("qml"))
    if kind == "vectortile":
        return vectortile_layer(name, src)
    if kind == "raster":
        return QgsRasterLayer(src["path"], name, "gdal")
    raise ValueError(f"unknown layer kind {kind!r} in the project plan")


def build(plan: dict[str, Any], conn: dict[str, Any], project: QgsProject) -> list[dict[str, Any]]:
    project.setTitle(plan["title"])
    project.setCrs(QgsCoordinateReferenceSystem(plan["crs"]))
    root = project.layerTreeRoot()
    report = []
    for group_spec in plan["groups"]:
        group = root.addGroup(group_spec["name"])
        group.setItemVisibilityChecked(group_spec["visible"])
        for spec in group_spec["layers"]:
            layer = make_layer(spec, conn)
            if spec.get("abstract"):
                layer.setAbstract(spec["abstract"])
            project.addMapLayer(layer, False)
            node = group.addLayer(layer)
            node.setItemVisibilityChecked(spec["visible"])
            node.setExpanded(False)
            renderer = layer.renderer() if hasattr(layer, "renderer") and layer.isValid() else None
            report.append(
                {
                    "group": group_spec["name"],
                    "name": spec["name"],
                    "kind": spec["kind"],
                    "valid": layer.isValid(),
                    "renderer": renderer.type() if renderer is not None else None,
                }
            )
    _set_extent(plan, project)
    return report


def _set_extent(plan: dict[str, Any], project: QgsProject) -> None:
    if not plan.get("extent_crs84"):
        return
    minx, miny, maxx, maxy = plan["extent_crs84"]
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    transform = QgsCoordinateTransform(wgs84, project.crs(), project)
    rect = transform.transformBoundingBox(QgsRectangle(minx, miny, maxx, maxy))
    rect.scale(1.05)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(rect, project.crs()))


def main() -> int:
    payload = json.loads(sys.stdin.read())
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    layers = build(payload["plan"], payload["connection"], project)
    written: dict[str, Any] = {}
    if payload.get("file"):
        written["file"] = payload["file"] if project.write(payload["file"]) else None
    if payload.get("database_uri"):
        written["database"] = payload["database_uri"] if project.write(payload["database_uri"]) else None
    sys.stdout.write(json.dumps({"layers": layers, "written": written}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    project.clear()
    app.exitQgis()
    return 0 if all(written.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
