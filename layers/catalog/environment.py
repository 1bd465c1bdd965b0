"""Environment layers: water bodies, green spaces, flood zones (vector) and rasters."""

from __future__ import annotations

from layers.catalog.land import GENERATED_EN, GENERATED_VI
from layers.catalog.types import Attribute, LayerSpec, RasterSpec, StyleHint

A = Attribute

WATER_BODIES = LayerSpec(
    name="water_bodies",
    domain="environment",
    geometry="MultiPolygon",
    id_field="water_id",
    attributes=(
        A("water_id", "text", "Mã mặt nước", "Water body id", required=True),
        A(
            "type",
            "text",
            "Loại",
            "Type",
            required=True,
            allowed=("river", "canal", "lake", "pond", "reservoir", "wetland"),
        ),
        A("name", "text", "Tên", "Name"),
        A("width_m", "real", "Bề rộng", "Width", unit="m"),
    ),
    title_vi="Sông, kênh, rạch, hồ",
    title_en="Water bodies (rivers, canals, lakes)",
    description_vi="Sông Tiền, kênh, rạch và hồ dưới dạng vùng. " + GENERATED_VI,
    description_en="The Tiền river, canals and lakes as areas. " + GENERATED_EN,
    keywords_vi=("sông", "kênh rạch"),
    keywords_en=("rivers", "canals", "water"),
    style=StyleHint(fill="#a6cee3", stroke="#1f78b4", stroke_width=0.3, label="name"),
)

GREEN_SPACES = LayerSpec(
    name="green_spaces",
    domain="environment",
    geometry="MultiPolygon",
    id_field="green_id",
    attributes=(
        A("green_id", "text", "Mã mảng xanh", "Green space id", required=True),
        A(
            "type",
            "text",
            "Loại",
            "Type",
            required=True,
            allowed=("park", "garden", "square", "playground", "sports", "cemetery", "orchard", "other"),
        ),
        A(
            "public",
            "boolean",
            "Công cộng",
            "Public",
            required=True,
            description_en="Open to the public free of charge (SDG 11.7.1)",
        ),
        A("name", "text", "Tên", "Name"),
        A("area_m2", "real", "Diện tích", "Area", unit="m²"),
    ),
    title_vi="Không gian xanh",
    title_en="Green spaces",
    description_vi="Công viên, vườn hoa, quảng trường, sân chơi (công cộng/riêng). " + GENERATED_VI,
    description_en="Parks, gardens, squares and playgrounds (public or private). " + GENERATED_EN,
    keywords_vi=("công viên", "mảng xanh"),
    keywords_en=("parks", "green space", "open space"),
    style=StyleHint(fill="#b2df8a", stroke="#33a02c", stroke_width=0.3, label="name"),
)

FLOOD_ZONES = LayerSpec(
    name="flood_zones",
    domain="environment",
    geometry="MultiPolygon",
    id_field="zone_id",
    attributes=(
        A("zone_id", "text", "Mã vùng", "Zone id", required=True),
        A(
            "hazard",
            "text",
            "Mức nguy cơ",
            "Hazard level",
            required=True,
            allowed=("low", "medium", "high", "very_high"),
        ),
        A("water_level_m", "real", "Mực nước", "Water level", unit="m"),
        A("return_period_years", "integer", "Chu kỳ lặp lại", "Return period", unit="years"),
        A("source_model", "text", "Nguồn/mô hình", "Source or model", required=True),
    ),
    title_vi="Vùng nguy cơ ngập",
    title_en="Flood hazard zones",
    description_vi="Vùng ngập theo mức nguy cơ và nguồn (mô hình, triều cường). " + GENERATED_VI,
    description_en="Flood zones by hazard level and source (model, king tide). " + GENERATED_EN,
    keywords_vi=("ngập lụt", "triều cường"),
    keywords_en=("flooding", "hazard"),
    style=StyleHint(fill="#6baed6", stroke="#08519c", stroke_width=0.3),
)

ENVIRONMENT_LAYERS = (WATER_BODIES, GREEN_SPACES, FLOOD_ZONES)

DEMO_RASTER_VI = (
    " Trong bản demo lớp này là dữ liệu TỔNG HỢP (giả lập); cột synthetic của catalog.rasters cho biết."
)
DEMO_RASTER_EN = " In the demo this raster is SYNTHETIC (generated); catalog.rasters.synthetic says which."

ELEVATION = RasterSpec(
    name="elevation",
    domain="environment",
    title_vi="Độ cao địa hình",
    title_en="Elevation",
    description_vi="Mô hình độ cao (m so với mốc cao độ địa phương), ~30 m." + DEMO_RASTER_VI,
    description_en="Elevation model (m above the local datum), ~30 m." + DEMO_RASTER_EN,
    unit="m",
    dtype="float32",
    resolution_m=30,
    nodata=-9999.0,
    keywords_vi=("độ cao", "DEM"),
    keywords_en=("elevation", "DEM"),
)

BUILT_UP = RasterSpec(
    name="built_up",
    domain="environment",
    title_vi="Đất xây dựng theo năm",
    title_en="Built-up area by year",
    description_vi="Tỷ lệ diện tích xây dựng trong ô (0–1), theo năm." + DEMO_RASTER_VI,
    description_en="Built-up share of each cell (0–1), by year." + DEMO_RASTER_EN,
    unit="fraction",
    dtype="float32",
    resolution_m=30,
    nodata=-1.0,
    by_year=True,
    keywords_vi=("đất xây dựng",),
    keywords_en=("built-up", "SDG 11.3.1"),
)

POPULATION_GRID = RasterSpec(
    name="population_grid",
    domain="environment",
    title_vi="Lưới dân số 100 m",
    title_en="Population grid (100 m)",
    description_vi="Số người trong mỗi ô 100 m." + DEMO_RASTER_VI,
    description_en="Residents per 100 m cell." + DEMO_RASTER_EN,
    unit="persons",
    dtype="float32",
    resolution_m=100,
    nodata=-1.0,
    keywords_vi=("dân số",),
    keywords_en=("population grid",),
)

LAND_COVER = RasterSpec(
    name="land_cover",
    domain="environment",
    title_vi="Lớp phủ mặt đất theo năm",
    title_en="Land cover by year",
    description_vi="Loại lớp phủ mặt đất (mã ESA WorldCover), theo năm.",
    description_en="Land-cover class (ESA WorldCover codes), by year.",
    unit="class",
    dtype="uint8",
    resolution_m=10,
    nodata=0,
    by_year=True,
    categories={
        10: ("Cây gỗ", "Tree cover"),
        20: ("Cây bụi", "Shrubland"),
        30: ("Cỏ", "Grassland"),
        40: ("Đất trồng trọt", "Cropland"),
        50: ("Xây dựng", "Built-up"),
        60: ("Đất trống", "Bare"),
        80: ("Mặt nước", "Permanent water"),
        90: ("Đất ngập nước", "Herbaceous wetland"),
    },
    keywords_vi=("lớp phủ",),
    keywords_en=("land cover",),
)

RASTER_LAYERS = (ELEVATION, BUILT_UP, POPULATION_GRID, LAND_COVER)
