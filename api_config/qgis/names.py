"""Short bilingual layer names for the QGIS layer tree and legends.

The registry's titles are full sentences (up to ~180 characters: what the indicator measures and
which standard it follows); a layer tree needs a few words.  The full title stays in each layer's
abstract.  ``tests/api_config/test_qgis.py`` checks every registry indicator has a short name here,
so a new indicator cannot silently fall back to its long title.
"""

from __future__ import annotations

from analysis.registry import IndicatorSpec
from layers.catalog import LayerSpec
from layers.catalog.types import RasterSpec

#: Indicator id → (Vietnamese, English) short name.
INDICATOR_SHORT: dict[str, tuple[str, str]] = {
    "population_density": ("Mật độ dân số", "Population density"),
    "sdg_11_3_1": ("Tiêu thụ đất (SDG 11.3.1)", "Land consumption (SDG 11.3.1)"),
    "transit_access": ("Tiếp cận xe buýt", "Transit access"),
    "health_access": ("Tiếp cận y tế", "Health access"),
    "health_beds_2sfca": ("Giường bệnh / 1.000 dân", "Hospital beds / 1,000"),
    "education_access": ("Tiếp cận trường học", "School access"),
    "open_space_share": ("Không gian công cộng mở", "Open public space share"),
    "open_space_access": ("Tiếp cận không gian mở", "Open space access"),
    "green_area": ("Diện tích cây xanh", "Green area"),
    "street_network": ("Độ liên kết đường phố", "Street connectivity"),
    "building_form": ("Mật độ xây dựng", "Building density"),
    "land_use_mix": ("Hỗn hợp sử dụng đất", "Land-use mix"),
    "flood_exposure": ("Phơi nhiễm ngập", "Flood exposure"),
    "walkability": ("Chỉ số đi bộ", "Walkability"),
}
#: Catalog layers whose title is long.
LAYER_SHORT: dict[str, tuple[str, str]] = {
    "admin_units": ("Phường, xã", "Wards and communes"),
    "land_use": ("Sử dụng đất", "Land use"),
    "utilities": ("Hạ tầng kỹ thuật", "Utilities"),
    "water_bodies": ("Sông, kênh, hồ", "Water bodies"),
    "markets": ("Chợ", "Markets"),
    "transit_stops": ("Điểm dừng xe buýt", "Transit stops"),
    "population_census": ("Dân số các kỳ điều tra", "Census population"),
}


def _join(vi: str, en: str, suffix: str = "") -> str:
    return f"{vi} / {en}{suffix}"


def indicator_name(spec: IndicatorSpec, vintage: int | None = None) -> str:
    vi, en = INDICATOR_SHORT.get(spec.id, (spec.title_vi, spec.title_en))
    return _join(vi, en, f" ({vintage})" if vintage else "")


def layer_name(spec: LayerSpec | RasterSpec, year: int | None = None) -> str:
    vi, en = LAYER_SHORT.get(spec.name, (spec.title_vi, spec.title_en))
    return _join(vi, en, f" ({year})" if year else "")
