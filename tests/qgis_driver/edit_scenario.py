"""Open the generated project, find a scenario's group, draw edits through QGIS's own postgres
provider (edit buffer, as the "Add feature" tool and its form do), and read the result layers.

stdin: {"source": project path, "scenario": name, "pgpassfile": path (libpq passwords, one per login),
        "pgservicefile": path (the planner's services),
        "add": [{"view": "edit_schools", "x": lon, "y": lat, "attributes": {...}}],
        "change": [{"view": ..., "edit_id": int, "attributes": {...}}],
        "png": path (optional), "hide_groups": [names] (optional), "extent": [lon/lat box] (optional),
        "width", "height"}
stdout: {"read", "group", "layers": [{name, table, valid, visible, user, fields, capabilities,
         default_scenario, widgets, features}], "commit": {view: {"ok", "errors"}},
         "image": {...}}
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_project import render
from common import answer, start
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsVectorDataProvider,
    QgsVectorLayerUtils,
)

SCENARIOS_GROUP = "Kịch bản / Scenarios"


def _scenario_group(project: QgsProject, scenario: str):
    top = project.layerTreeRoot().findGroup(SCENARIOS_GROUP)
    if top is None:
        return None
    return next((g for g in top.findGroups() if g.name().startswith(f"{scenario}: ")), None)


def _plain(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if hasattr(value, "toString") and not isinstance(value, str):
        return value.toString()
    return value


def _layer_report(node) -> dict:
    layer = node.layer()
    uri = QgsDataSourceUri(layer.source())
    fields = layer.fields()
    report = {
        "name": node.name(),
        "table": uri.table(),
        "user": uri.username(),
        "service": uri.service(),
        "subset": layer.subsetString(),
        "valid": layer.isValid(),
        "visible": node.isVisible(),
        "abstract": layer.abstract(),
        "renderer": layer.renderer().type() if layer.renderer() else None,
        "fields": [f.name() for f in fields],
        "editable": bool(
            layer.dataProvider().capabilities() & QgsVectorDataProvider.AddFeatures
            and layer.dataProvider().capabilities() & QgsVectorDataProvider.ChangeAttributeValues
        ),
        "widgets": {f.name(): f.editorWidgetSetup().type() for f in fields},
        "read_only": [f.name() for i, f in enumerate(fields) if layer.editFormConfig().readOnly(i)],
    }
    idx = fields.indexOf("scenario")
    if idx >= 0:
        report["default_scenario"] = layer.defaultValueDefinition(idx).expression()
    report["features"] = [
        {
            **{f.name(): _plain(feat[f.name()]) for f in fields},
            "wkt": feat.geometry().asWkt(6) if feat.hasGeometry() else None,
        }
        for feat in layer.getFeatures()
    ]
    return report


def _layer_of(group, table: str):
    for node in group.findLayers():
        if QgsDataSourceUri(node.layer().source()).table() == table:
            return node.layer()
    raise KeyError(table)


def _add(group, item: dict) -> dict:
    """Draw one feature: the form's defaults (scenario) filled in by QGIS, the planner's values."""
    layer = _layer_of(group, item["view"])
    fields = layer.fields()
    values = {fields.indexOf(k): v for k, v in item.get("attributes", {}).items()}
    if "wkt" in item:  # e.g. a baseline block copied into the edit layer
        geometry = QgsGeometry.fromWkt(item["wkt"])
    else:
        geometry = QgsGeometry.fromPointXY(QgsPointXY(item["x"], item["y"]))
    feature = QgsVectorLayerUtils.createFeature(layer, geometry, values, layer.createExpressionContext())
    layer.startEditing()
    added = layer.addFeature(feature)
    ok = layer.commitChanges()
    errors = list(layer.commitErrors())
    if not ok:
        layer.rollBack()
    return {"added": added, "ok": ok, "errors": errors}


def _change(group, item: dict) -> dict:
    layer = _layer_of(group, item["view"])
    fields = layer.fields()
    feature = next(f for f in layer.getFeatures() if f["edit_id"] == item["edit_id"])
    layer.startEditing()
    for name, value in item["attributes"].items():
        layer.changeAttributeValue(feature.id(), fields.indexOf(name), value)
    ok = layer.commitChanges()
    errors = list(layer.commitErrors())
    if not ok:
        layer.rollBack()
    return {"ok": ok, "errors": errors}


def main() -> None:
    app, request = start()
    if request.get("pgpassfile"):  # one password per login: the owner's layers and the planner's
        os.environ.pop("PGPASSWORD", None)
        os.environ["PGPASSFILE"] = request["pgpassfile"]
    if request.get("pgservicefile"):  # the planner's pg_service.conf: the scenario layers' login
        os.environ["PGSERVICEFILE"] = request["pgservicefile"]
    project = QgsProject.instance()
    ok = project.read(request["source"])
    result: dict = {"read": ok}
    group = _scenario_group(project, request["scenario"]) if ok else None
    result["group"] = group.name() if group is not None else None
    if group is not None:
        result["commits"] = [_add(group, item) for item in request.get("add", [])]
        result["changes"] = [_change(group, item) for item in request.get("change", [])]
        for node in group.findLayers():
            node.layer().reload()
        result["layers"] = [_layer_report(node) for node in group.findLayers()]
        if request.get("png"):
            root = project.layerTreeRoot()
            for name in request.get("hide_groups", []):
                hidden = root.findGroup(name)
                if hidden is not None:
                    hidden.setItemVisibilityChecked(False)
            if request.get("extent"):  # lon/lat box → the project's default view
                wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
                transform = QgsCoordinateTransform(wgs84, project.crs(), project)
                rect = transform.transformBoundingBox(QgsRectangle(*request["extent"]))
                project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(rect, project.crs()))
            result["image"] = render(
                project, request["png"], request.get("width", 900), request.get("height", 700)
            )
    answer(result)
    project.clear()
    app.exitQgis()


if __name__ == "__main__":
    main()
