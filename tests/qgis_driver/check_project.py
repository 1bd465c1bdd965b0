"""Open a QGIS project (file or PostgreSQL URI), report its layers and render it to a PNG.

stdin: {"source": path-or-uri, "png": path, "width": int, "height": int}
stdout: {"read": bool, "title", "groups": [...], "layers": [{name, provider, valid, visible, renderer}],
         "image": {"width", "height", "non_background", "colours", "stddev"}}
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import answer, start
from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsProject
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def layers_report(project: QgsProject) -> list[dict]:
    out = []
    for node in project.layerTreeRoot().findLayers():
        layer = node.layer()
        renderer = layer.renderer() if layer is not None and hasattr(layer, "renderer") else None
        out.append(
            {
                "name": node.name(),
                "group": node.parent().name(),
                "provider": layer.providerType() if layer is not None else None,
                "valid": bool(layer is not None and layer.isValid()),
                "visible": node.isVisible(),
                "renderer": renderer.type() if renderer is not None else None,
                "source": layer.source() if layer is not None else None,
                "feature_count": layer.featureCount() if layer is not None and layer.type() == 0 else None,
            }
        )
    return out


def render(project: QgsProject, png: str, width: int, height: int) -> dict:
    settings = QgsMapSettings()
    settings.setLayers(project.layerTreeRoot().checkedLayers())
    settings.setDestinationCrs(project.crs())
    settings.setExtent(project.viewSettings().defaultViewExtent())
    settings.setOutputSize(QSize(width, height))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png, "PNG")
    return image_stats(image)


def image_stats(image) -> dict:
    """Share of non-white pixels, distinct colours and grey-level spread on a 4-pixel grid."""
    values, colours, non_bg = [], set(), 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            non_bg += rgb != 0xFFFFFF
            values.append(((rgb >> 16) & 255) * 0.299 + ((rgb >> 8) & 255) * 0.587 + (rgb & 255) * 0.114)
    mean = sum(values) / len(values)
    return {
        "width": image.width(),
        "height": image.height(),
        "non_background": non_bg / len(values),
        "colours": len(colours),
        "stddev": math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)),
    }


def main() -> None:
    app, request = start()
    project = QgsProject.instance()
    ok = project.read(request["source"])
    result = {"read": ok, "title": project.title(), "crs": project.crs().authid()}
    if ok:
        result["groups"] = [g.name() for g in project.layerTreeRoot().children()]
        result["layers"] = layers_report(project)
        if request.get("png"):
            result["image"] = render(
                project, request["png"], request.get("width", 900), request.get("height", 700)
            )
    answer(result)
    project.clear()
    app.exitQgis()


if __name__ == "__main__":
    main()
