"""``docs/indicators.md``: the methods page, generated from the registry (never edited by hand).

``dothi indicators docs`` writes it; a test checks that the committed file is up to date.
"""

from __future__ import annotations

import inspect

from analysis.indicators import grid, landconsumption, neighbourhood, network, population
from analysis.registry import INDICATORS
from analysis.spec import IndicatorSpec
from layers.catalog import RASTERS, get_layer, get_raster
from layers.notices import SYNTHETIC_RESULT

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


LEVELS_AND_PROVENANCE = """
    Each results table holds every level; each level (and, for wards, each boundary vintage) is
    also published on its own: the view `analysis.<id>_ward_2025` (collection `<id>-ward-2025`, the
    one to open), `analysis.<id>_ward_2019` (`<id>-ward-2019`), `analysis.<id>_city` (`<id>-city`,
    one row per boundary vintage, named "Toàn thành phố (ranh giới 2025)" / "Whole city (2025
    boundaries)" in Mỹ Tho, after the study area elsewhere: "Toàn vùng Tỉnh Tiền Giang (cũ…)
    (ranh giới 2025)" / "Whole area: Former Tiền Giang province (…) (2025 boundaries)") and
    `analysis.<id>_grid` (`<id>-grid`, cells named by their id). The views round
    every value to the precision stated below for each indicator ("published precision"); infinite
    or undefined values become empty. The combined table and collection `<id>` keep full precision,
    wards first (newest vintage first), then the city, then grid cells. `dothi indicators show ID
    --level ward --vintage 2025` shows one vintage and prints each row's vintage.

    Every run records whether any input held generated (synthetic) data and which layers
    (`synthetic`, `synthetic_inputs` in `analysis.indicator_runs` and on every result row); the
    collections, the records catalogue, the QGIS layers and the web map then show the notice
    "{vi} / {en}". Loading real data in place of the generated layer and running again clears it.
""".format(**SYNTHETIC_RESULT)


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


def _precision(spec: IndicatorSpec) -> str:
    reals = [c.name for c in spec.result_columns if c.type == "real" and c.name != spec.value_column]
    others = ", ".join(f"`{n}` {spec.digits(n)}" for n in reals)
    head = f"`{spec.value_column}` {spec.precision} decimal(s)"
    return f"{head}; {others}" if others else head


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
        f"- **Published precision / làm tròn:** {_precision(spec)}",
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
        _section("One level at a time, rounded, labelled when synthetic", LEVELS_AND_PROVENANCE),
        _section("Land consumption and population growth (SDG 11.3.1)", landconsumption.__doc__),
        _section("Walkable neighbourhoods (GHSCI)", neighbourhood.__doc__),
        "## Contents\n",
        "\n".join(f"- `{s.id}` — {s.title_en}" for s in INDICATORS.values()) + "\n",
        *(indicator_markdown(s) for s in INDICATORS.values()),
    ]
    return "\n".join(parts).rstrip() + "\n"
