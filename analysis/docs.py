"""``docs/indicators.md``: the methods page, generated from the registry (never edited by hand).

``dothi indicators docs`` writes it; a test checks that the committed file is up to date.
"""

from __future__ import annotations

import inspect

from analysis.indicators import grid, neighbourhood, network, population
from analysis.registry import INDICATORS
from analysis.spec import IndicatorSpec
from layers.catalog import RASTERS, get_layer, get_raster

HEADER = """# Planning indicators — methods / Chỉ số quy hoạch — phương pháp

*Generated from the indicator registry (`analysis/registry.py`, `analysis/catalogue/`) by
`dothi indicators docs`; do not edit by hand.*

Every indicator is computed by a pure function from the layers in PostGIS (vector layers) and the
Cloud-Optimized GeoTIFFs listed in `catalog.rasters` (rasters), in the UTM zone of the study area's
centre (never in degrees). The study area is whatever `land.admin_units` holds: any city runs.
Results go to `analysis.<indicator id>`, one row per reporting unit: `level` = `city` (one row per
boundary vintage, `unit_id` = `<vintage>-city`), `ward` (each admin unit of every vintage) or `grid`
(`unit_id` = cell id). Each run is recorded in `analysis.indicator_runs` with its parameters, the
versions (load ids, raster checksums) of its inputs and the code version; running again with the same
inputs and parameters does nothing.
"""


def _section(title: str, text: str | None) -> str:
    return f"### {title}\n\n{inspect.cleandoc(text or '')}\n"


def _input_name(name: str) -> str:
    if name in RASTERS:
        return f"`{get_raster(name).qualified_name}` (raster)"
    return f"`{get_layer(name).qualified_name}`"


def _parameters(spec: IndicatorSpec) -> list[str]:
    if not spec.parameters:
        return ["*No parameters.*", ""]
    lines = ["| parameter | type | default | meaning / ý nghĩa |", "|---|---|---|---|"]
    for p in spec.parameters:
        low = "" if p.minimum is None else f"{p.minimum:g}"
        high = "" if p.maximum is None else f"{p.maximum:g}"
        bounds = f" [{low}–{high}]" if low or high else ""
        lines.append(
            f"| `{p.name}` | {p.type}{bounds} | `{p.default!r}` | {p.description_en} / {p.description_vi} |"
        )
    return [*lines, ""]


def _columns(spec: IndicatorSpec) -> list[str]:
    lines = ["| column | unit | meaning / ý nghĩa |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.unit or ''} | {c.title_en} / {c.title_vi} |" for c in spec.result_columns]
    return [*lines, ""]


def indicator_markdown(spec: IndicatorSpec) -> str:
    """The section of one indicator."""
    optional = ", ".join(map(_input_name, spec.optional_inputs)) or "—"
    lines = [
        f"## `{spec.id}` — {spec.title_en}",
        "",
        f"*{spec.title_vi}*",
        "",
        f"- **Theme / chủ đề:** {spec.theme}",
        f"- **Standard / chuẩn:** {spec.standard}",
        f"- **Unit / đơn vị:** {spec.unit} (value column `{spec.value_column}`)",
        f"- **Levels / cấp:** {', '.join(spec.levels)}",
        f"- **Inputs / dữ liệu vào:** {', '.join(map(_input_name, spec.inputs))}",
        f"- **Optional inputs / dùng nếu có:** {optional}",
        f"- **Formula / công thức:** `{spec.formula}`",
        "",
        spec.description_en.strip(),
        "",
        f"*{spec.description_vi.strip()}*",
        "",
        "**Parameters / tham số**",
        "",
        *_parameters(spec),
        f"**Results / kết quả** — table `analysis.{spec.table}`",
        "",
        *_columns(spec),
        f"**Limitations / hạn chế:** {spec.limitations or '—'}",
        "",
    ]
    return "\n".join(lines)


def render_markdown() -> str:
    """The whole methods page."""
    parts = [
        HEADER,
        "## Common methods\n",
        _section("Reporting grid", grid.__doc__),
        _section("Walking network and accessibility", network.__doc__),
        _section("Population points", population.__doc__),
        _section("Walkable neighbourhoods (GHSCI)", neighbourhood.__doc__),
        "## Contents\n",
        "\n".join(f"- `{s.id}` — {s.title_en}" for s in INDICATORS.values()) + "\n",
        *(indicator_markdown(s) for s in INDICATORS.values()),
    ]
    return "\n".join(parts).rstrip() + "\n"
