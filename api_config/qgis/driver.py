"""Build dothi's QGIS project with PyQGIS — run by the system Python (``python3-qgis``), not the venv.

Reads on stdin the JSON written by :func:`api_config.qgis.project.build_project` (the plan, the
connection without password, where to write) and writes one JSON line on stdout: the layers, whether
each loaded, and the files written.  The database password comes from ``PGPASSWORD`` (libpq), so it
never enters the project.  Uses only the standard library and PyQGIS.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import tempfile
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsColorRampShader,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsMapLayer,
    QgsMapLayerStyle,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsSingleBandPseudoColorRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorTileBasicRenderer,
    QgsVectorTileLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor, QFont


def apply_qml(layer: QgsMapLayer, qml: str | None) -> None:
    if qml and layer.isValid():
        QgsMapLayerStyle(qml).writeToLayer(layer)


def postgres_layer(name: str, src: dict[str, Any], conn: dict[str, Any]) -> QgsMapLayer:
    uri = QgsDataSourceUri()
    if src.get("service"):  # the scenario layers: each planner's pg_service.conf names their login
        uri.setConnection(src["service"], "", "", "")
    else:
        uri.setConnection(conn["host"], str(conn["port"]), conn["dbname"], conn["user"], "")
    uri.setDataSource(src["schema"], src["table"], src["geom"], src.get("subset") or "", src["key"])
    uri.setWkbType(QgsWkbTypes.parseType(src["geometry"]))
    uri.setSrid(str(src["srid"]))
    return QgsVectorLayer(uri.uri(False), name, "postgres")


def oapif_layer(name: str, src: dict[str, Any]) -> QgsMapLayer:
    uri = QgsDataSourceUri()
    uri.setParam("url", src["url"])
    uri.setParam("typename", src["typename"])
    return QgsVectorLayer(uri.uri(False), name, "OAPIF")


def _basic_tile_renderer() -> QgsVectorTileBasicRenderer:
    fill, stroke = QColor("#fdbb84"), QColor("#555555")
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles(
        QgsVectorTileBasicRenderer.simpleStyle(fill, stroke, 0.3, stroke, 0.3, fill, stroke, 2.6)
    )
    return renderer


def vectortile_layer(name: str, src: dict[str, Any]) -> QgsMapLayer:
    """An XYZ layer of our vector tiles, drawn with the collection's MapLibre style (converted by
    QGIS's own Mapbox GL converter), or a plain style when no style came with the plan."""
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", src["url"])
    uri.setParam("zmin", str(src["zmin"]))
    uri.setParam("zmax", str(src["zmax"]))
    if src.get("style_url"):
        uri.setParam("styleUrl", src["style_url"])
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), name)
    renderer = None
    if src.get("mapbox"):
        converter = QgsMapBoxGlStyleConverter()
        context = QgsMapBoxGlStyleConversionContext()
        if converter.convert(src["mapbox"], context) == QgsMapBoxGlStyleConverter.Success:
            renderer = converter.renderer()
    layer.setRenderer(renderer or _basic_tile_renderer())
    return layer


def raster_layer(name: str, src: dict[str, Any]) -> QgsMapLayer:
    """A GDAL raster with the plan's colour-ramp shader (interpolated or discrete classes)."""
    layer = QgsRasterLayer(src["path"], name, "gdal")
    style = src.get("style")
    if not style or not layer.isValid():
        return layer
    ramp = QgsColorRampShader()
    ramp.setColorRampType(
        QgsColorRampShader.Interpolated if style["type"] == "interpolated" else QgsColorRampShader.Discrete
    )
    ramp.setColorRampItemList(
        [QgsColorRampShader.ColorRampItem(float(v), _colour(c), label) for v, c, label in style["stops"]]
    )
    ramp.setClassificationMode(QgsColorRampShader.EqualInterval)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    stops = [float(v) for v, _, _ in style["stops"]]
    renderer.setClassificationMin(min(stops))
    renderer.setClassificationMax(max(stops))
    layer.setRenderer(renderer)
    return layer


def _colour(text: str) -> QColor:
    """``#rrggbb`` or ``#rrggbbaa`` (Qt reads 8 digits as ``#aarrggbb``)."""
    if len(text) == 9:
        colour = QColor(text[:7])
        colour.setAlpha(int(text[7:], 16))
        return colour
    return QColor(text)


def make_layer(spec: dict[str, Any], conn: dict[str, Any]) -> QgsMapLayer:
    kind, name, src = spec["kind"], spec["name"], spec["source"]
    if kind == "postgres":
        layer = postgres_layer(name, src, conn)
    elif kind == "oapif":
        layer = oapif_layer(name, src)
    elif kind == "vectortile":
        layer = vectortile_layer(name, src)
    elif kind == "raster":
        layer = raster_layer(name, src)
    else:
        raise ValueError(f"unknown layer kind {kind!r} in the project plan")
    if kind in ("postgres", "oapif"):
        apply_qml(layer, spec.get("qml"))
    if spec.get("abstract"):
        layer.setAbstract(spec["abstract"])
    if spec.get("opacity", 1.0) < 1.0:
        layer.setOpacity(spec["opacity"])
    return layer


def _add_group(
    parent: Any, group_spec: dict[str, Any], conn: dict[str, Any], project: QgsProject
) -> list[dict[str, Any]]:
    """One group of the layer tree, its layers, then its sub-groups (the Scenarios group has one
    per scenario)."""
    group = parent.addGroup(group_spec["name"])
    group.setItemVisibilityChecked(group_spec["visible"])
    group.setExpanded(group_spec.get("expanded", True))
    report = []
    for spec in group_spec["layers"]:
        layer = make_layer(spec, conn)
        if spec.get("abstract"):
            layer.setAbstract(spec["abstract"])
        project.addMapLayer(layer, False)
        node = group.addLayer(layer)
        node.setItemVisibilityChecked(spec["visible"])
        node.setExpanded(False)
        node.setCustomProperty("showFeatureCount", 0)
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
    for sub in group_spec.get("groups", []):
        report += _add_group(group, sub, conn, project)
    return report


def build(plan: dict[str, Any], conn: dict[str, Any], project: QgsProject) -> list[dict[str, Any]]:
    project.setTitle(plan["title"])
    project.setCrs(QgsCoordinateReferenceSystem(plan["crs"]))
    root = project.layerTreeRoot()
    report = []
    for group_spec in plan["groups"]:
        report += _add_group(root, group_spec, conn, project)
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


def _label(
    layout: QgsPrintLayout,
    text: str,
    box: tuple[float, float, float, float],
    *,
    size: int,
    bold: bool = False,
    colour: str = "#222222",
) -> QgsLayoutItemLabel:
    """A text label at ``box`` (x, y, width, height in mm)."""
    x, y, w, h = box
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    font = QFont("Sans Serif", size)
    font.setBold(bold)
    label.setFont(font)
    label.setFontColor(QColor(colour))
    label.setMode(QgsLayoutItemLabel.ModeFont)
    layout.addLayoutItem(label)
    label.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    label.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    return label


def _legend(layout: QgsPrintLayout, linked: QgsLayoutItemMap) -> QgsLayoutItemLegend:
    """A legend of the layers visible on open (not of every layer of the project)."""
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("Chú giải / Legend")
    legend.setLinkedMap(linked)
    layout.addLayoutItem(legend)
    legend.setAutoUpdateModel(False)  # the legend's own copy of the layer tree, pruned below
    root = legend.model().rootGroup()
    for node in root.findLayers():
        if not node.isVisible():
            node.parent().removeChildNode(node)
    for group in [g for g in root.children() if not g.children()]:
        root.removeChildNode(group)
    legend.setLegendFilterByMapEnabled(True)
    legend.setColumnCount(1)
    legend.setSymbolHeight(3.5)
    legend.setResizeToContents(True)
    legend.attemptMove(QgsLayoutPoint(318, 28, QgsUnitTypes.LayoutMillimeters))
    return legend


MAP_W, MAP_H = 300.0, 240.0


def _fit(extent: QgsRectangle, aspect: float) -> QgsRectangle:
    """``extent`` grown to the map item's width/height ratio, same centre."""
    rect = QgsRectangle(extent)
    if rect.width() / rect.height() > aspect:
        grow = rect.width() / aspect - rect.height()
        rect.setYMinimum(rect.yMinimum() - grow / 2)
        rect.setYMaximum(rect.yMaximum() + grow / 2)
    else:
        grow = rect.height() * aspect - rect.width()
        rect.setXMinimum(rect.xMinimum() - grow / 2)
        rect.setXMaximum(rect.xMaximum() + grow / 2)
    return rect


def add_layout(spec: dict[str, Any], project: QgsProject, extent: QgsRectangle | None) -> QgsPrintLayout:
    """A3 landscape: title, map, legend, scale bar, north arrow, sources, synthetic notice."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(spec["name"])
    layout.pageCollection().page(0).setPageSize(spec["page"], QgsLayoutItemPage.Landscape)
    _label(layout, spec["title"], (10, 6, 400, 10), size=20, bold=True)
    _label(layout, spec["subtitle"], (10, 16, 400, 7), size=10, colour="#555555")
    linked = QgsLayoutItemMap(layout)
    layout.addLayoutItem(linked)
    linked.attemptMove(QgsLayoutPoint(10, 26, QgsUnitTypes.LayoutMillimeters))
    linked.attemptResize(QgsLayoutSize(MAP_W, MAP_H, QgsUnitTypes.LayoutMillimeters))
    linked.setCrs(project.crs())
    linked.setFrameEnabled(True)
    if extent is not None and not extent.isEmpty():
        linked.setExtent(_fit(extent, MAP_W / MAP_H))
    _legend(layout, linked)
    bar = QgsLayoutItemScaleBar(layout)
    layout.addLayoutItem(bar)
    bar.setStyle("Single Box")
    bar.setLinkedMap(linked)
    bar.applyDefaultSize(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.attemptMove(QgsLayoutPoint(14, 252, QgsUnitTypes.LayoutMillimeters))
    arrow = QgsLayoutItemPicture(layout)
    layout.addLayoutItem(arrow)
    arrow.setPicturePath(spec["north_arrow"])
    arrow.attemptMove(QgsLayoutPoint(292, 30, QgsUnitTypes.LayoutMillimeters))
    arrow.attemptResize(QgsLayoutSize(14, 20, QgsUnitTypes.LayoutMillimeters))
    arrow.setLinkedMap(linked)
    _label(layout, spec["notice"], (10, 270, 400, 10), size=9, bold=True, colour="#b00020")
    _label(layout, spec["sources"], (10, 280, 400, 14), size=7, colour="#444444")
    project.layoutManager().addLayout(layout)
    return layout


def _service_file(plan: dict[str, Any], conn: dict[str, Any]) -> None:
    """While building, the services the plan's layers name point at this connection (so QGIS
    checks and styles them); the project keeps the service name only."""
    names: set[str] = set()
    stack = list(plan["groups"])
    while stack:
        group = stack.pop()
        stack += group.get("groups", [])
        names |= {la["source"]["service"] for la in group["layers"] if la["source"].get("service")}
    if not names:
        return
    handle, path = tempfile.mkstemp(suffix=".conf", prefix="dothi-services-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        for name in sorted(names):
            out.write(
                f"[{name}]\nhost={conn['host']}\nport={conn['port']}\ndbname={conn['dbname']}\nuser={conn['user']}\n"
            )
    atexit.register(os.unlink, path)
    os.environ["PGSERVICEFILE"] = path


def main() -> int:
    payload = json.loads(sys.stdin.read())
    _service_file(payload["plan"], payload["connection"])
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    layers = build(payload["plan"], payload["connection"], project)
    if payload["plan"].get("layout"):
        add_layout(payload["plan"]["layout"], project, project.viewSettings().defaultViewExtent())
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
