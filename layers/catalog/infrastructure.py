"""Infrastructure layers: streets, transit, schools, health, markets, public facilities, utilities."""

from __future__ import annotations

from layers.catalog.land import GENERATED_EN, GENERATED_VI
from layers.catalog.types import Attribute, LayerSpec, StyleHint

A = Attribute
ROAD_CLASSES = (
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "residential",
    "service",
    "unclassified",
    "track",
    "path",
    "footway",
    "cycleway",
    "pedestrian",
    "living_street",
    "steps",
)

ROADS = LayerSpec(
    name="roads",
    domain="infrastructure",
    geometry="MultiLineString",
    id_field="road_id",
    attributes=(
        A("road_id", "text", "Mã đoạn đường", "Road segment id", required=True),
        A(
            "road_class",
            "text",
            "Cấp đường",
            "Road class",
            required=True,
            allowed=ROAD_CLASSES,
            description_en="OpenStreetMap highway classes",
        ),
        A("name", "text", "Tên đường", "Street name"),
        A("oneway", "boolean", "Một chiều", "One-way"),
        A(
            "walkable",
            "boolean",
            "Đi bộ được",
            "Walkable",
            required=True,
            description_en="Pedestrians may use it (false for motorways and trunk roads)",
        ),
        A(
            "surface",
            "text",
            "Mặt đường",
            "Surface",
            allowed=("paved", "asphalt", "concrete", "unpaved", "gravel", "dirt", "other"),
        ),
        A("width_m", "real", "Bề rộng", "Width", unit="m"),
        A("lanes", "integer", "Số làn", "Lanes"),
    ),
    title_vi="Mạng lưới đường",
    title_en="Street network",
    description_vi="Mạng lưới đường có thể định tuyến: cấp đường, tên, một chiều, đi bộ, mặt "
    "đường. " + GENERATED_VI,
    description_en="Routable street network: class, name, one-way, walkable, surface. " + GENERATED_EN,
    keywords_vi=("giao thông", "đường phố"),
    keywords_en=("streets", "roads", "network"),
    style=StyleHint(stroke="#ffffff", stroke_width=1.2, label="name"),
)

TRANSIT_STOPS = LayerSpec(
    name="transit_stops",
    domain="infrastructure",
    geometry="Point",
    id_field="stop_id",
    attributes=(
        A("stop_id", "text", "Mã điểm dừng", "Stop id", required=True),
        A("name", "text", "Tên điểm dừng", "Stop name"),
        A(
            "mode",
            "text",
            "Phương thức",
            "Mode",
            required=True,
            allowed=("bus", "brt", "tram", "rail", "ferry"),
        ),
        A(
            "capacity",
            "text",
            "Sức chở",
            "Capacity",
            required=True,
            allowed=("low", "high"),
            description_en="SDG 11.2.1: low (bus, tram) or high (BRT, rail, ferry) capacity",
        ),
        A(
            "weekday_departures",
            "integer",
            "Số chuyến ngày thường",
            "Weekday departures",
            unit="departures/day",
        ),
        A("peak_headway_min", "real", "Giãn cách giờ cao điểm", "Peak headway", unit="min"),
        A("routes", "text", "Tuyến", "Routes"),
    ),
    title_vi="Điểm dừng giao thông công cộng",
    title_en="Public transport stops",
    description_vi="Điểm dừng xe buýt, phà… với tần suất phục vụ ngày thường. " + GENERATED_VI,
    description_en="Bus, ferry… stops with weekday service frequency. " + GENERATED_EN,
    keywords_vi=("xe buýt", "giao thông công cộng"),
    keywords_en=("public transport", "bus stops", "GTFS"),
    style=StyleHint(fill="#1f78b4", stroke="#ffffff"),
)

SCHOOLS = LayerSpec(
    name="schools",
    domain="infrastructure",
    geometry="Point",
    id_field="school_id",
    attributes=(
        A("school_id", "text", "Mã trường", "School id", required=True),
        A("name", "text", "Tên trường", "School name"),
        A(
            "level",
            "text",
            "Cấp học",
            "Level",
            required=True,
            allowed=(
                "kindergarten",
                "primary",
                "lower_secondary",
                "upper_secondary",
                "vocational",
                "university",
            ),
            description_en="mầm non, tiểu học, THCS, THPT, nghề, đại học",
        ),
        A("capacity", "integer", "Số chỗ học", "Seats", unit="pupils"),
        A("public", "boolean", "Công lập", "Public school"),
    ),
    title_vi="Trường học",
    title_en="Schools",
    description_vi="Trường mầm non, tiểu học, THCS, THPT với số chỗ học. " + GENERATED_VI,
    description_en="Kindergartens, primary, lower- and upper-secondary schools with seats. " + GENERATED_EN,
    keywords_vi=("giáo dục", "trường học"),
    keywords_en=("education", "schools"),
    style=StyleHint(fill="#ff7f00", stroke="#ffffff", label="name"),
)

HEALTH_FACILITIES = LayerSpec(
    name="health_facilities",
    domain="infrastructure",
    geometry="Point",
    id_field="facility_id",
    attributes=(
        A("facility_id", "text", "Mã cơ sở", "Facility id", required=True),
        A("name", "text", "Tên cơ sở", "Name"),
        A(
            "type",
            "text",
            "Loại",
            "Type",
            required=True,
            allowed=("hospital", "health_station", "clinic", "pharmacy", "polyclinic"),
            description_en="bệnh viện, trạm y tế, phòng khám, nhà thuốc, phòng khám đa khoa",
        ),
        A("beds", "integer", "Số giường", "Beds", unit="beds"),
    ),
    title_vi="Cơ sở y tế",
    title_en="Health facilities",
    description_vi="Bệnh viện, trạm y tế phường/xã, phòng khám với số giường. " + GENERATED_VI,
    description_en="Hospitals, ward health stations and clinics with beds. " + GENERATED_EN,
    keywords_vi=("y tế", "bệnh viện"),
    keywords_en=("health", "hospitals"),
    style=StyleHint(fill="#e31a1c", stroke="#ffffff", label="name"),
)

MARKETS = LayerSpec(
    name="markets",
    domain="infrastructure",
    geometry="Point",
    id_field="market_id",
    attributes=(
        A("market_id", "text", "Mã chợ", "Market id", required=True),
        A("name", "text", "Tên chợ", "Name"),
        A(
            "type",
            "text",
            "Loại",
            "Type",
            required=True,
            allowed=("market", "supermarket", "convenience", "wholesale"),
            description_en="chợ truyền thống, siêu thị, cửa hàng tiện lợi, chợ đầu mối",
        ),
        A("stalls", "integer", "Số sạp", "Stalls"),
    ),
    title_vi="Chợ và điểm bán thực phẩm",
    title_en="Markets and food shops",
    description_vi="Chợ, siêu thị, cửa hàng tiện lợi. " + GENERATED_VI,
    description_en="Markets, supermarkets and convenience shops. " + GENERATED_EN,
    keywords_vi=("chợ", "thực phẩm"),
    keywords_en=("markets", "food access"),
    style=StyleHint(fill="#6a3d9a", stroke="#ffffff", label="name"),
)

PUBLIC_FACILITIES = LayerSpec(
    name="public_facilities",
    domain="infrastructure",
    geometry="Point",
    id_field="facility_id",
    attributes=(
        A("facility_id", "text", "Mã công trình", "Facility id", required=True),
        A("name", "text", "Tên", "Name"),
        A(
            "type",
            "text",
            "Loại",
            "Type",
            required=True,
            allowed=(
                "government",
                "police",
                "fire_station",
                "community_centre",
                "library",
                "post_office",
                "place_of_worship",
                "sports",
                "other",
            ),
        ),
    ),
    title_vi="Công trình công cộng",
    title_en="Public facilities",
    description_vi="Trụ sở UBND, công an, PCCC, nhà văn hóa, thư viện, bưu điện… " + GENERATED_VI,
    description_en="Town halls, police, fire stations, community centres, libraries… " + GENERATED_EN,
    keywords_vi=("công trình công cộng",),
    keywords_en=("public facilities",),
    style=StyleHint(fill="#33a02c", stroke="#ffffff", label="name"),
)

UTILITIES = LayerSpec(
    name="utilities",
    domain="infrastructure",
    geometry="MultiLineString",
    id_field="utility_id",
    attributes=(
        A("utility_id", "text", "Mã công trình", "Utility id", required=True),
        A(
            "type",
            "text",
            "Loại",
            "Type",
            required=True,
            allowed=("drain", "sewer", "water_main", "power_line", "dyke", "sluice_gate", "pumping_station"),
        ),
        A("diameter_mm", "real", "Đường kính", "Diameter", unit="mm"),
        A("capacity_m3s", "real", "Công suất", "Capacity", unit="m³/s"),
        A("name", "text", "Tên", "Name"),
    ),
    title_vi="Hạ tầng kỹ thuật (thoát nước, trạm bơm, đường dây)",
    title_en="Utilities (drainage, pumping stations, lines)",
    description_vi="Cống, mương thoát nước, đê, cống ngăn triều, trạm bơm (điểm lưu dạng đoạn "
    "ngắn), đường dây. " + GENERATED_VI,
    description_en="Drains, sewers, dykes, tidal sluices, pumping stations (stored as short "
    "segments) and lines. " + GENERATED_EN,
    keywords_vi=("thoát nước", "hạ tầng kỹ thuật"),
    keywords_en=("drainage", "utilities"),
    style=StyleHint(stroke="#1f78b4", stroke_width=0.8),
)

INFRASTRUCTURE_LAYERS = (
    ROADS,
    TRANSIT_STOPS,
    SCHOOLS,
    HEALTH_FACILITIES,
    MARKETS,
    PUBLIC_FACILITIES,
    UTILITIES,
)
