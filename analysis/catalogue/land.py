"""Land and urban form: population density, street network form."""

from __future__ import annotations

from analysis.indicators.recipes import population_density_recipe
from analysis.indicators.streets import street_network_recipe
from analysis.spec import IndicatorSpec, Parameter, ResultColumn

POPULATION_DENSITY = IndicatorSpec(
    id="population_density",
    title_vi="Mật độ dân số",
    title_en="Population density",
    description_vi=(
        "Số người trên mỗi km² diện tích tự nhiên của phường/xã và toàn thành phố. Diện tích tính "
        "trong hệ toạ độ phẳng (UTM), không tính bằng độ."
    ),
    description_en=(
        "Residents per km² of land area of each ward/commune and of the whole city. Areas are "
        "computed in a metric projected CRS (UTM), never in degrees."
    ),
    theme="land",
    standard="ISO 37120:2018 (population density, profile indicator); local",
    unit="people/km²",
    formula="density = population / area_km2; city = Σ population / Σ area_km2",
    inputs=("admin_units",),
    levels=("city", "ward"),
    value_column="density_per_km2",
    result_columns=(
        ResultColumn("population", "real", "Dân số", "Population", "persons"),
        ResultColumn("population_method", "text", "Nguồn dân số", "Population method"),
        ResultColumn("area_km2", "real", "Diện tích", "Area", "km²"),
        ResultColumn("density_per_km2", "real", "Mật độ dân số", "Population density", "people/km²"),
    ),
    recipe=population_density_recipe,
    parameters=(
        Parameter(
            "census_vintage",
            "integer",
            None,
            "Boundary vintage whose units carry the census population (default: the latest "
            "vintage with population). Units of other vintages get it by areal interpolation.",
            "Năm ranh giới mang số liệu điều tra dân số (mặc định: năm gần nhất có dân số). Các "
            "đơn vị của năm khác được nội suy theo diện tích.",
            minimum=1900,
            maximum=2100,
        ),
    ),
    limitations=(
        "Gross density over the whole unit area, water and farmland included. Areal "
        "interpolation assumes population spread evenly within each census unit."
    ),
    keywords_en=("population density", "ISO 37120"),
    keywords_vi=("mật độ dân số",),
)

STREET_NETWORK = IndicatorSpec(
    id="street_network",
    title_vi="Mạng lưới đường: mật độ giao lộ, mật độ đường, đất giao thông, độ liên kết",
    title_en="Street network: intersection density, street density, land in streets, connectivity",
    description_vi=(
        "Số giao lộ từ 3 nhánh trở lên trên km² (các nút cách nhau dưới 12 m gộp thành một giao lộ), "
        "chiều dài đường (km/km²), tỷ lệ đất dành cho đường, và hệ số lưới (meshedness) và gamma "
        "của mạng đi bộ."
    ),
    description_en=(
        "Intersections of 3+ streets per km² (nodes closer than 12 m merged into one intersection), "
        "street length per km², share of land in streets, and the meshedness and gamma connectivity "
        "of the walking network."
    ),
    theme="mobility",
    standard=(
        "Global Healthy and Sustainable City Indicators (street connectivity); UN-Habitat "
        "(street density, land allocated to streets); Buhl et al. 2006 (meshedness)"
    ),
    unit="intersections/km²",
    formula=(
        "intersection_density = consolidated 3+-way intersections / area_km2; "
        "street_density = street_km / area_km2; street_land_share = street area / area × 100; "
        "meshedness = (e − v + 1)/(2v − 5); gamma = e / (3(v − 2))"
    ),
    inputs=("admin_units", "roads"),
    levels=("city", "ward"),
    value_column="intersection_density_per_km2",
    result_columns=(
        ResultColumn("area_km2", "real", "Diện tích", "Area", "km²"),
        ResultColumn("intersections", "real", "Số giao lộ (≥3 nhánh)", "Intersections (3+ way)"),
        ResultColumn(
            "intersection_density_per_km2", "real", "Mật độ giao lộ", "Intersection density", "1/km²"
        ),
        ResultColumn("street_km", "real", "Chiều dài đường", "Street length", "km"),
        ResultColumn("street_density_km_per_km2", "real", "Mật độ đường", "Street density", "km/km²"),
        ResultColumn("street_land_share_pct", "real", "Tỷ lệ đất giao thông", "Land in streets", "%"),
        ResultColumn("nodes", "real", "Số nút mạng đi bộ", "Walking network nodes"),
        ResultColumn("edges", "real", "Số cạnh mạng đi bộ", "Walking network edges"),
        ResultColumn("meshedness", "real", "Hệ số lưới", "Meshedness"),
        ResultColumn("gamma", "real", "Chỉ số gamma", "Gamma connectivity"),
    ),
    recipe=street_network_recipe,
    parameters=(
        Parameter(
            "consolidation_m",
            "number",
            12.0,
            "Intersection nodes closer than this (m, single linkage) count as one intersection.",
            "Các nút giao cách nhau dưới khoảng này (m) tính là một giao lộ.",
            minimum=0,
            maximum=100,
        ),
    ),
    limitations=(
        "Intersections and meshedness use the walkable network (walkable = true); street length and "
        "street land use every road. Street area is the centre line buffered by half of width_m "
        "(or a typical width per road class). Densities are over the gross unit area. Edges are "
        "assigned to the unit containing their midpoint, nodes to the unit containing them."
    ),
    keywords_en=("intersection density", "street density", "meshedness", "connectivity"),
    keywords_vi=("mật độ giao lộ", "mật độ đường"),
)
