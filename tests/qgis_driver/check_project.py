"""Open a QGIS project (file or PostgreSQL URI), report its layers and render it to a PNG.

stdin: {"source": path-or-uri, "png": path, "width": int, "height": int,
        "layout_pdf": path (optional), "layout_png": path (optional)}
stdout: {"read": bool, "title", "groups": [...], "layers": [{name, provider, valid, visible, renderer}],
         "image": {"width", "height", "non_background", "colours", "stddev", "dominant"},
         "layouts": [{name, page, items, pdf, png, image}]}
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import answer, start
from qgis.core import QgsLayoutExporter, QgsMapRendererParallelJob, QgsMapSettings, QgsProject
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage


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
    values, colours, non_bg = [], {}, 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours[rgb] = colours.get(rgb, 0) + 1
            non_bg += rgb != 0xFFFFFF
            values.append(((rgb >> 16) & 255) * 0.299 + ((rgb >> 8) & 255) * 0.587 + (rgb & 255) * 0.114)
    mean = sum(values) / len(values)
    return {
        "width": image.width(),
        "height": image.height(),
        "non_background": non_bg / len(values),
        "colours": len(colours),
        # share of the most frequent colour (white background excluded)
        "dominant": max((n for c, n in colours.items() if c != 0xFFFFFF), default=0) / len(values),
        "dark": sum(1 for v in values if v < 60) / len(values),
        "stddev": math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)),
    }


def layouts_report(project: QgsProject, request: dict) -> list[dict]:
    """Every print layout: its items, and the first exported to PDF and PNG when asked."""
    out = []
    for i, layout in enumerate(project.layoutManager().printLayouts()):
        page = layout.pageCollection().page(0).pageSize()
        entry = {
            "name": layout.name(),
            "page_mm": [round(page.width()), round(page.height())],
            "items": sorted({type(item).__name__ for item in layout.items() if hasattr(item, "uuid")}),
            "labels": [item.text() for item in layout.items() if type(item).__name__ == "QgsLayoutItemLabel"],
        }
        if i == 0 and request.get("layout_pdf"):
            exporter = QgsLayoutExporter(layout)
            entry["pdf"] = (
                exporter.exportToPdf(request["layout_pdf"], QgsLayoutExporter.PdfExportSettings()) == 0
            )
            if request.get("layout_png"):
                settings = QgsLayoutExporter.ImageExportSettings()
                settings.dpi = 60
                entry["png"] = exporter.exportToImage(request["layout_png"], settings) == 0
                entry["image"] = image_stats(QImage(request["layout_png"]))
        out.append(entry)
    return out


def main() -> None:
    app, request = start()
    project = QgsProject.instance()
    ok = project.read(request["source"])
    result = {"read": ok, "title": project.title(), "crs": project.crs().authid()}
    if ok:
        result["groups"] = [g.name() for g in project.layerTreeRoot().children()]
        result["layers"] = layers_report(project)
        result["layouts"] = layouts_report(project, request)
        if request.get("png"):
            result["image"] = render(
                project, request["png"], request.get("width", 900), request.get("height", 700)
            )
    answer(result)
    project.clear()
    app.exitQgis()


if __name__ == "__main__":
    main()
