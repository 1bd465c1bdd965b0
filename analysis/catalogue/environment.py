"""Environment: open public space (SDG 11.7.1), green area (ISO 37120), flood exposure."""

from __future__ import annotations

from functools import partial

from analysis.catalogue.common import (
    ORIGINS_EN,
    ORIGINS_VI,
    POPULATION,
    POPULATION_INPUTS,
    POPULATION_SOURCE,
    SHARE_COLUMNS,
    WALK_EN,
    WALK_LIMITS,
    WALK_VI,
    distance,
)
from analysis.indicators.access_recipes import open_space_access_recipe
from analysis.indicators.flood import LEVEL_KEYS, flood_exposure_recipe
from analysis.indicators.openspace import green_area_recipe, open_space_share_recipe
from analysis.spec import IndicatorSpec, Parameter, ResultColumn
from layers.catalog import LAND_USE_CODES

#: Land-use codes that are open public space (streets, parks, public sports grounds).
OPEN_CODES = tuple(code for code, info in LAND_USE_CODES.items() if info.public_open)

OPEN_SPACE_SHARE = IndicatorSpec(
    id="open_space_share",
    title_vi="Tỷ lệ diện tích đất xây dựng là không gian công cộng mở (SDG 11.7.1a)",
    title_en="Share of built-up area that is open public space, streets included (SDG 11.7.1 a)",
    description_vi=(
        "Diện tích không gian công cộng mở (đường phố, công viên, quảng trường, sân chơi công cộng, "
        "đất DGT/DKV/DTT) chia cho diện tích đất xây dựng của phường/xã. Đất xây dựng: các ô của lớp "
        "built_up năm gần nhất có tỷ lệ xây dựng ≥ ngưỡng; nếu không có thì toàn bộ diện tích trừ mặt nước."
    ),
    description_en=(
        "Area of open public space (streets, public parks, squares and playgrounds, land-use zones "
        "DGT/DKV/DTT) over the built-up area of each ward. Built-up area: cells of the latest "
        "built_up raster with a built-up share ≥ the threshold; without it, the unit area minus water."
    ),
    theme="land",
    standard="SDG indicator 11.7.1 (UN-Habitat metadata), component (a)",
    unit="%",
    formula="share = area(open public space ∩ built-up) / area(built-up) × 100",
    inputs=("admin_units", "roads", "green_spaces"),
    optional_inputs=("land_use", "built_up", "water_bodies"),
    levels=("city", "ward"),
    value_column="open_space_share_pct",
    precision=1,
    result_columns=(
        ResultColumn("built_up_km2", "real", "Diện tích đất xây dựng", "Built-up area", "km²"),
        ResultColumn("open_space_km2", "real", "Không gian công cộng mở", "Open public space", "km²"),
        ResultColumn("streets_km2", "real", "Diện tích đường phố", "Street area", "km²"),
        ResultColumn(
            "open_space_share_pct", "real", "Tỷ lệ không gian công cộng mở", "Open public space share", "%"
        ),
        ResultColumn("built_up_source", "text", "Nguồn đất xây dựng", "Built-up area source"),
    ),
    recipe=partial(open_space_share_recipe, open_codes=OPEN_CODES),
    parameters=(
        Parameter(
            "built_up_threshold",
            "number",
            0.5,
            "A built_up cell is built-up when its built-up share is at least this (0–1).",
            "Ô được coi là đất xây dựng khi tỷ lệ xây dựng ≥ ngưỡng này (0–1).",
            minimum=0,
            maximum=1,
        ),
    ),
    limitations=(
        "UN-Habitat defines the built-up area as the urban extent; here it is the built_up cells "
        "above a threshold (or the whole unit). Street area is estimated from centre lines and widths. "
        "Cemeteries and orchards are not open public space."
    ),
    keywords_en=("SDG 11.7.1", "open public space", "streets"),
    keywords_vi=("không gian công cộng",),
)

OPEN_SPACE_ACCESS = IndicatorSpec(
    id="open_space_access",
    title_vi="Tỷ lệ dân số trong phạm vi 400 m đi bộ tới không gian công cộng mở (SDG 11.7.1b)",
    title_en="Share of population within 400 m walking of open public space (SDG 11.7.1 b)",
    description_vi=(
        "Tỷ lệ dân số sống trong phạm vi 400 m đi bộ tới công viên, quảng trường, sân chơi công cộng. "
        "Lối vào: các điểm cách đều dọc ranh giới mỗi không gian. " + WALK_VI + ORIGINS_VI
    ),
    description_en=(
        "Share of the population living within 400 m walking of a public park, square or "
        "playground. Entrances: points at a regular spacing along each space's outline. "
        + WALK_EN
        + ORIGINS_EN
    ),
    theme="environment",
    standard="SDG indicator 11.7.1 (UN-Habitat metadata), component (b)",
    unit="%",
    formula="share = Σ pop[d_open ≤ 400 m] / Σ pop × 100",
    inputs=("admin_units", "roads", "green_spaces"),
    optional_inputs=(*POPULATION_INPUTS, "land_use"),
    levels=("city", "ward", "grid"),
    value_column="share_pct",
    precision=1,
    result_columns=SHARE_COLUMNS,
    recipe=partial(open_space_access_recipe, open_codes=OPEN_CODES),
    parameters=(
        distance("distance_m", 400.0, "Walking distance (m).", "Khoảng cách đi bộ (m)."),
        Parameter(
            "entry_spacing_m",
            "number",
            50.0,
            "Spacing of the entrance points along each open space's outline (m).",
            "Khoảng cách giữa các điểm lối vào dọc ranh giới (m).",
            minimum=5,
            maximum=500,
        ),
        Parameter(
            "min_area_m2",
            "number",
            0.0,
            "Ignore open spaces smaller than this (m²).",
            "Bỏ qua không gian nhỏ hơn diện tích này (m²).",
            minimum=0,
            maximum=1e7,
        ),
    ),
    limitations=WALK_LIMITS + " Real entrances and fences are unknown: every outline point is an entrance.",
    keywords_en=("SDG 11.7.1", "parks", "accessibility"),
    keywords_vi=("công viên", "tiếp cận"),
)

GREEN_AREA = IndicatorSpec(
    id="green_area",
    title_vi="Diện tích cây xanh trên 100.000 dân (ISO 37120) và cây xanh công cộng trên người",
    title_en="Green area per 100,000 population (ISO 37120) and public green space per person",
    description_vi=(
        "Tổng diện tích không gian xanh (ha) trên 100.000 dân, và diện tích cây xanh công cộng (m²) "
        "trên mỗi người, theo phường/xã và toàn thành phố. " + ORIGINS_VI
    ),
    description_en=(
        "Total green area (ha) per 100,000 residents, and public green space (m²) per resident, by "
        "ward and for the whole city. " + ORIGINS_EN
    ),
    theme="environment",
    standard="ISO 37120:2018 indicator 19.1 (green area per 100 000 population); local (m²/person)",
    unit="ha/100,000 people",
    formula=(
        "green_ha_per_100k = green_ha / population × 100000; "
        "public_green_m2_per_person = public green m² / population"
    ),
    inputs=("admin_units", "green_spaces"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward"),
    value_column="green_ha_per_100k",
    precision=1,
    result_columns=(
        POPULATION,
        ResultColumn("green_ha", "real", "Diện tích cây xanh", "Green area", "ha"),
        ResultColumn("green_ha_per_100k", "real", "Cây xanh / 100.000 dân", "Green area per 100,000", "ha"),
        ResultColumn("public_green_m2", "real", "Cây xanh công cộng", "Public green space", "m²"),
        ResultColumn(
            "public_green_m2_per_person",
            "real",
            "Cây xanh công cộng / người",
            "Public green per person",
            "m²",
        ),
        POPULATION_SOURCE,
    ),
    recipe=green_area_recipe,
    parameters=(
        Parameter(
            "exclude_types",
            "text",
            "",
            "Comma-separated green space types not counted (e.g. cemetery,orchard).",
            "Các loại không gian xanh không tính, cách nhau bằng dấu phẩy.",
        ),
    ),
    limitations=(
        "Counts the mapped green_spaces polygons only (street trees and private gardens that are not "
        "mapped are missing). Overlapping polygons are counted once."
    ),
    keywords_en=("ISO 37120", "green space", "parks"),
    keywords_vi=("cây xanh",),
)

_LEVEL_DEFAULTS = dict(zip(LEVEL_KEYS, (1.5, 1.8, 2.0), strict=True))


def _flood_columns() -> tuple[ResultColumn, ...]:
    cols = [
        POPULATION,
        ResultColumn("buildings", "real", "Số công trình", "Buildings"),
        ResultColumn("road_km", "real", "Chiều dài đường", "Road length", "km"),
    ]
    for i, key in enumerate(LEVEL_KEYS, start=1):
        cols += [
            ResultColumn(f"level_{key}_m", "real", f"Mực nước {i}", f"Water level {i}", "m"),
            ResultColumn(
                f"population_{key}",
                "real",
                f"Dân số bị ngập ở mực {i}",
                f"Population exposed at level {i}",
                "persons",
            ),
            ResultColumn(
                f"population_{key}_pct",
                "real",
                f"Tỷ lệ dân bị ngập ở mực {i}",
                f"Share exposed at level {i}",
                "%",
            ),
            ResultColumn(
                f"buildings_{key}", "real", f"Công trình bị ngập ở mực {i}", f"Buildings exposed at level {i}"
            ),
            ResultColumn(
                f"road_km_{key}",
                "real",
                f"Đường bị ngập ở mực {i}",
                f"Road length exposed at level {i}",
                "km",
            ),
        ]
    return (*cols, POPULATION_SOURCE)


FLOOD_EXPOSURE = IndicatorSpec(
    id="flood_exposure",
    title_vi="Dân số, công trình và đường bị ngập theo mực nước (có kết nối thuỷ văn)",
    title_en="Population, buildings and roads exposed to flooding by water level (hydrologically connected)",
    description_vi=(
        "Với mỗi mực nước h (mặc định 1,5; 1,8; 2,0 m): các ô địa hình thấp hơn hoặc bằng h và nối liền "
        "(4 hướng) với ô sông/kênh bị coi là ngập; vùng trũng bị bao bởi đất cao (sau đê) không ngập. "
        "Đếm dân số, công trình và chiều dài đường trong các ô ngập."
    ),
    description_en=(
        "For each water level h (defaults 1.5, 1.8, 2.0 m): elevation cells at or below h that are "
        "connected (4-neighbour) to a river or canal cell are flooded; low land enclosed by higher "
        "ground (behind a dyke) stays dry. Population, buildings and road length in flooded cells."
    ),
    theme="safety",
    standard="local (connected bathtub inundation model)",
    unit="%",
    formula="flooded(h) = components of {elevation ≤ h} ∪ water touching water; exposed = Σ x[flooded(h)]",
    inputs=("admin_units", "roads", "water_bodies", "elevation"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward", "grid"),
    value_column="population_h1_pct",
    precision=1,
    result_columns=_flood_columns(),
    recipe=flood_exposure_recipe,
    parameters=(
        *(
            Parameter(
                f"level_{i}_m",
                "number",
                _LEVEL_DEFAULTS[key],
                f"Water level {i} (m, same datum as the elevation raster).",
                f"Mực nước {i} (m, cùng mốc cao độ với lớp độ cao).",
                minimum=-10,
                maximum=50,
            )
            for i, key in enumerate(LEVEL_KEYS, start=1)
        ),
        Parameter(
            "water_types",
            "text",
            "river,canal",
            "Water body types the flood comes from (comma-separated).",
            "Loại mặt nước gây ngập (cách nhau bằng dấu phẩy).",
        ),
    ),
    limitations=(
        "Static bathtub model: no flow, duration, drainage, pumps or dyke overtopping; accuracy is that "
        "of the elevation model (~30 m cells, vertical error of a metre or more for global DEMs). "
        "Exposure is counted at cell centres, building centroids and 10 m road pieces."
    ),
    keywords_en=("flood", "exposure", "sea level"),
    keywords_vi=("ngập lụt", "triều cường"),
)
