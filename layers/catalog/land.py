"""Land layers: administrative units, land use, parcels, buildings."""

from __future__ import annotations

from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.catalog.types import Attribute, LayerSpec, StyleHint

A = Attribute
GENERATED_VI = "Dữ liệu TỔNG HỢP (giả lập), không phải dữ liệu đo đạc, khi thuộc tính synthetic = true."
GENERATED_EN = "SYNTHETIC (generated) features, not surveyed data, where synthetic = true."

ADMIN_UNITS = LayerSpec(
    name="admin_units",
    domain="land",
    geometry="MultiPolygon",
    id_field="unit_id",
    attributes=(
        A(
            "unit_id",
            "text",
            "Mã đơn vị (kèm năm)",
            "Unit id (with vintage)",
            required=True,
            description_en="'<vintage>-<code>', unique across vintages",
        ),
        A(
            "vintage",
            "integer",
            "Năm ranh giới",
            "Boundary vintage",
            required=True,
            description_en="Year of the administrative structure the boundary belongs to",
        ),
        A("code", "text", "Mã hành chính", "Administrative code", required=True),
        A("name_vi", "text", "Tên (tiếng Việt)", "Name (Vietnamese)", required=True),
        A("name_en", "text", "Tên (không dấu/tiếng Anh)", "Name (English)"),
        A(
            "level",
            "text",
            "Cấp",
            "Level",
            required=True,
            allowed=("ward", "commune", "town", "district", "city", "province"),
            description_en="phường = ward, xã = commune, thị trấn = town",
        ),
        A("parent_name_vi", "text", "Đơn vị cấp trên", "Parent unit"),
        A("population", "integer", "Dân số", "Population", unit="persons"),
        A("population_urban", "integer", "Dân số thành thị", "Urban population", unit="persons"),
        A("population_rural", "integer", "Dân số nông thôn", "Rural population", unit="persons"),
        A("households", "integer", "Số hộ", "Households", unit="households"),
        A(
            "population_year",
            "integer",
            "Năm dân số",
            "Population year",
            description_en="Census year of the population figures",
        ),
        A("official_area_km2", "real", "Diện tích chính thức", "Official area", unit="km²"),
    ),
    title_vi="Đơn vị hành chính (phường, xã)",
    title_en="Administrative units (wards and communes)",
    description_vi=(
        "Ranh giới phường/xã. Năm 2019: 17 phường, xã của thành phố Mỹ Tho kèm dân số Tổng điều "
        "tra 2019; năm 2025: 5 phường sau sắp xếp đơn vị hành chính."
    ),
    description_en=(
        "Ward and commune boundaries. Vintage 2019: the 17 wards/communes of Mỹ Tho city with "
        "2019 census population; vintage 2025: the five wards after the 2025 reorganisation."
    ),
    keywords_vi=("ranh giới hành chính", "phường", "xã", "dân số"),
    keywords_en=("administrative boundaries", "wards", "communes", "population"),
    licence="MIT (boundaries); official public statistics (census)",
    attribution=(
        "Boundaries 2019: censusVN2009 (LucieContamin/censusVN2009, MIT); "
        "census 2019: General Statistics Office of Viet Nam; "
        "boundaries 2025: vietnamese-provinces-database (thanglequoc, MIT)"
    ),
    style=StyleHint(fill="#f2efe9", stroke="#7a4b94", stroke_width=0.8, label="name_vi"),
)

POPULATION_CENSUS = LayerSpec(
    name="population_census",
    domain="land",
    geometry="MultiPolygon",
    id_field="census_unit_id",
    attributes=(
        A(
            "census_unit_id",
            "text",
            "Mã (năm điều tra – mã đơn vị)",
            "Id (census year – unit code)",
            required=True,
            description_en="'<census_year>-<code>', unique across censuses",
        ),
        A(
            "code",
            "text",
            "Mã hành chính",
            "Administrative code",
            required=True,
            description_en="Code of the unit in land.admin_units (same vintage)",
        ),
        A(
            "vintage",
            "integer",
            "Năm ranh giới",
            "Boundary vintage",
            required=True,
            description_en="Vintage of land.admin_units whose code and outline the count is attached to",
        ),
        A(
            "census_year",
            "integer",
            "Năm điều tra",
            "Census year",
            required=True,
            description_en="Year of the population and housing census",
        ),
        A("name_vi", "text", "Tên (tiếng Việt)", "Name (Vietnamese)", required=True),
        A("population", "integer", "Dân số", "Population", unit="persons", required=True, minimum=0),
    ),
    title_vi="Dân số theo các kỳ Tổng điều tra (chuỗi thời gian theo phường, xã)",
    title_en="Census population time series by ward and commune",
    description_vi=(
        "Dân số của từng phường, xã ở mỗi kỳ Tổng điều tra dân số và nhà ở (Mỹ Tho: 2009 và 2019, "
        "17 đơn vị theo ranh giới năm 2019). Dùng cho tốc độ tăng dân số của chỉ số SDG 11.3.1."
    ),
    description_en=(
        "Population of each ward and commune at each population and housing census (Mỹ Tho: 2009 "
        "and 2019, the 17 units on the 2019 boundaries). Used for the population growth rate of "
        "SDG 11.3.1."
    ),
    keywords_vi=("dân số", "tổng điều tra", "chuỗi thời gian"),
    keywords_en=("population", "census", "time series"),
    licence="MIT (boundaries); official public statistics (census)",
    attribution=(
        "Census 2009: censusVN2009 (LucieContamin/censusVN2009, MIT); census 2019: General "
        "Statistics Office of Viet Nam; boundaries: censusVN2009"
    ),
    style=StyleHint(fill=None, stroke="#7a4b94", stroke_width=0.6, label="population"),
)

LAND_USE = LayerSpec(
    name="land_use",
    domain="land",
    geometry="MultiPolygon",
    id_field="zone_id",
    attributes=(
        A("zone_id", "text", "Mã khu đất", "Zone id", required=True),
        A(
            "code",
            "text",
            "Mã loại đất",
            "Land-use code",
            required=True,
            allowed=tuple(LAND_USE_CODES),
            description_en="Vietnam land-use category code (Thông tư 27/2018/TT-BTNMT), e.g. ODT",
        ),
        A(
            "status",
            "text",
            "Hiện trạng/quy hoạch",
            "Current or planned",
            required=True,
            allowed=("current", "planned"),
        ),
        A("plan_year", "integer", "Năm quy hoạch", "Plan horizon year"),
        A("name", "text", "Tên khu", "Zone name"),
    ),
    title_vi="Sử dụng đất (hiện trạng và quy hoạch)",
    title_en="Land use (current and planned)",
    description_vi="Khu đất theo mã loại đất của Việt Nam (ODT, ONT, DGT, DGD, DYT, DVH, LUA, "
    "CLN, NTS, SON…). " + GENERATED_VI,
    description_en="Land-use zones with Vietnam's land-use category codes (ODT, ONT, DGT, DGD, "
    "DYT, DVH, LUA, CLN, NTS, SON…). " + GENERATED_EN,
    keywords_vi=("sử dụng đất", "quy hoạch"),
    keywords_en=("land use", "zoning", "plan"),
    style=StyleHint(fill="#e8d8a8", stroke="#8c7a3c", label="code"),
)

PARCELS = LayerSpec(
    name="parcels",
    domain="land",
    geometry="MultiPolygon",
    id_field="parcel_id",
    attributes=(
        A("parcel_id", "text", "Mã thửa", "Parcel id", required=True),
        A("sheet_no", "text", "Số tờ bản đồ", "Cadastral map sheet"),
        A("parcel_no", "text", "Số thửa", "Parcel number"),
        A("land_use_code", "text", "Mã loại đất", "Land-use code", allowed=tuple(LAND_USE_CODES)),
        A("area_m2", "real", "Diện tích pháp lý", "Legal area", unit="m²"),
    ),
    title_vi="Thửa đất",
    title_en="Cadastral parcels",
    description_vi="Thửa đất địa chính (tờ bản đồ, số thửa, loại đất).",
    description_en="Cadastral land parcels (map sheet, parcel number, land-use code).",
    keywords_vi=("địa chính", "thửa đất"),
    keywords_en=("cadastre", "parcels"),
    style=StyleHint(fill=None, stroke="#b0a070", stroke_width=0.3),
)

BUILDINGS = LayerSpec(
    name="buildings",
    domain="land",
    geometry="MultiPolygon",
    id_field="building_id",
    attributes=(
        A("building_id", "text", "Mã công trình", "Building id", required=True),
        A(
            "use",
            "text",
            "Công năng",
            "Use",
            required=True,
            allowed=("residential", "mixed", "commercial", "industrial", "public", "religious", "other"),
        ),
        A("floors", "integer", "Số tầng", "Floors", unit="floors"),
        A("height_m", "real", "Chiều cao", "Height", unit="m"),
        A("unit_id", "text", "Mã phường/xã", "Admin unit id"),
        A("residents", "real", "Số người ở (ước tính)", "Residents (estimated)", unit="persons"),
        A("year_built", "integer", "Năm xây dựng", "Year built"),
    ),
    title_vi="Công trình xây dựng",
    title_en="Buildings",
    description_vi="Dấu chân công trình với công năng, số tầng hoặc chiều cao. " + GENERATED_VI,
    description_en="Building footprints with use and floors or height. " + GENERATED_EN,
    keywords_vi=("công trình", "nhà ở"),
    keywords_en=("buildings", "footprints"),
    style=StyleHint(fill="#c9b8a6", stroke="#8a7560", stroke_width=0.2),
)

LAND_LAYERS = (ADMIN_UNITS, POPULATION_CENSUS, LAND_USE, PARCELS, BUILDINGS)
