"""The print layout of the QGIS project (A3 landscape: title, map, legend, scale bar, north arrow,
sources and the synthetic-data notice), as plain data the driver turns into a ``QgsPrintLayout``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.registry import POPULATION_DENSITY
from api_config.config import PROJECT_URL
from layers.catalog import LAYERS
from layers.notices import SYNTHETIC_DATA, SYNTHETIC_RESULT

if TYPE_CHECKING:
    from api_config.qgis.project import ProjectPlan

LAYOUT_NAME = "dothi A3"
NORTH_ARROW = "/usr/share/qgis/svg/arrows/NorthArrow_02.svg"


def sources_text() -> str:
    """Where the data comes from (the catalog's attributions, once each)."""
    seen: list[str] = []
    for spec in LAYERS.values():
        if spec.attribution and spec.attribution not in seen:
            seen.append(spec.attribution)
    lines = [
        "Nguồn / Sources: " + "; ".join(seen) if seen else "Nguồn / Sources: dothi",
        "Dữ liệu OpenStreetMap © những người đóng góp OpenStreetMap (ODbL) / "
        "OpenStreetMap data © OpenStreetMap contributors (ODbL).",
        f"Bản đồ tạo bởi dothi / map made with dothi — {PROJECT_URL}",
    ]
    return "\n".join(lines)


def notice_text() -> str:
    return (
        f"⚠ {SYNTHETIC_DATA['vi']}. {SYNTHETIC_RESULT['vi']}.\n"
        f"⚠ {SYNTHETIC_DATA['en']}. {SYNTHETIC_RESULT['en']}."
    )


def print_layout(plan: ProjectPlan) -> dict[str, Any]:
    """The layout of ``plan``: it shows the layers visible on open, legend of those only."""
    return {
        "name": LAYOUT_NAME,
        "page": "A3",
        "title": "Mỹ Tho — " + POPULATION_DENSITY.title_vi.lower() + " theo phường (2025)",
        "subtitle": f"Mỹ Tho — {POPULATION_DENSITY.title_en.lower()} by ward (2025) · {plan.title}",
        "sources": sources_text(),
        "notice": notice_text(),
        "north_arrow": NORTH_ARROW,
    }
