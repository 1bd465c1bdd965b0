"""Land and urban form: population density, street network form."""

from __future__ import annotations

from functools import partial

from analysis.catalogue.common import POPULATION_INPUTS
from analysis.indicators.form import building_form_recipe
from analysis.indicators.landconsumption import lcrpgr_recipe
from analysis.indicators.landuse import land_use_mix_recipe
from analysis.indicators.recipes import population_density_recipe
from analysis.indicators.streets import street_network_recipe
from analysis.spec import IndicatorSpec, Parameter, ResultColumn
from layers.catalog import LAND_USE_CODES

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
    precision=0,
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
    precision=1,
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

LAND_USE_MIX = IndicatorSpec(
    id="land_use_mix",
    title_vi="Mức độ hỗn hợp sử dụng đất (chỉ số entropy)",
    title_en="Land-use mix (entropy index)",
    description_vi=(
        "Entropy Shannon chuẩn hoá của diện tích các nhóm sử dụng đất hiện trạng (nếu không có thì "
        "quy hoạch) (ở, thương mại, công cộng, cây xanh, công nghiệp) trong mỗi phường/xã và ô lưới "
        "100 m: 0 = một loại duy nhất, 1 = các loại bằng nhau."
    ),
    description_en=(
        "Normalised Shannon entropy of the areas of current (else planned) land-use groups "
        "(residential, commercial, public, green, industrial) in each ward and 100 m grid cell: "
        "0 = a single use, 1 = all uses in equal shares. Land-use codes map to groups through the "
        "national code list."
    ),
    theme="land",
    standard="Frank et al. 2004 land-use mix; Global Healthy and Sustainable City Indicators",
    unit="index 0–1",
    formula="E = −Σ_k p_k ln p_k / ln K, p_k = area of group k / area of the K groups in the unit",
    inputs=("admin_units", "land_use"),
    levels=("city", "ward", "grid"),
    value_column="entropy",
    precision=3,
    result_columns=(
        ResultColumn(
            "categories_km2", "real", "Diện tích các nhóm xét", "Area of the groups considered", "km²"
        ),
        ResultColumn("categories_present", "real", "Số nhóm có mặt", "Groups present"),
        ResultColumn("entropy", "real", "Chỉ số entropy", "Entropy index", "0–1"),
        ResultColumn(
            "land_use_status",
            "text",
            "Sử dụng đất đã dùng: hiện trạng hay quy hoạch",
            "Land use used: current or planned",
        ),
    ),
    recipe=partial(land_use_mix_recipe, groups={code: info.group for code, info in LAND_USE_CODES.items()}),
    parameters=(
        Parameter(
            "categories",
            "text",
            "residential,commercial,public,green,industrial",
            "Comma-separated land-use groups in the mix (K = their number).",
            "Các nhóm sử dụng đất được xét, cách nhau bằng dấu phẩy (K = số nhóm).",
        ),
        Parameter(
            "status",
            "text",
            "auto",
            "Which land use: current (hiện trạng) or planned (quy hoạch) zones; auto = current when "
            "the layer has current zones, else planned (the land_use_status column says which).",
            "Loại sử dụng đất: hiện trạng (current), quy hoạch (planned), hoặc auto = hiện trạng nếu "
            "lớp có khu hiện trạng, nếu không thì quy hoạch (cột land_use_status ghi rõ).",
        ),
    ),
    limitations=(
        "Area-based: a tall mixed-use building on a residential parcel counts as residential. "
        "Only zones of one status (current, else planned: see land_use_status); water, farmland and "
        "streets are outside the default groups. "
        "Small grid cells often hold one use only (entropy 0) by construction."
    ),
    keywords_en=("land-use mix", "entropy"),
    keywords_vi=("hỗn hợp sử dụng đất",),
)

BUILDING_FORM = IndicatorSpec(
    id="building_form",
    title_vi="Mật độ xây dựng và hệ số sử dụng đất theo ô phố và phường",
    title_en="Building coverage ratio and floor-area ratio by street block and ward",
    description_vi=(
        "Mật độ xây dựng (diện tích chiếm đất của công trình / diện tích) và hệ số sử dụng đất "
        "(tổng diện tích sàn / diện tích) của mỗi ô phố (vùng được bao bởi tim đường), phường/xã và "
        "toàn thành phố. Số tầng: thuộc tính floors, hoặc chiều cao / chiều cao tầng, hoặc mặc định."
    ),
    description_en=(
        "Building coverage (footprint area / area) and floor-area ratio (floor area / area) of each "
        "street block (the faces enclosed by street centre lines), ward and the whole city. Floors: "
        "the floors attribute, else height_m / storey height, else a default."
    ),
    theme="land",
    standard="QCVN 01:2021/BXD (mật độ xây dựng, hệ số sử dụng đất); local",
    unit="FAR",
    formula="coverage = Σ footprint / area × 100; FAR = Σ footprint × floors / area",
    inputs=("admin_units", "roads", "buildings"),
    levels=("city", "ward", "block"),
    value_column="far",
    precision=2,
    result_columns=(
        ResultColumn("area_m2", "real", "Diện tích", "Area", "m²"),
        ResultColumn("footprint_m2", "real", "Diện tích chiếm đất", "Building footprint", "m²"),
        ResultColumn("floor_area_m2", "real", "Tổng diện tích sàn", "Floor area", "m²"),
        ResultColumn("coverage_pct", "real", "Mật độ xây dựng", "Building coverage", "%"),
        ResultColumn("far", "real", "Hệ số sử dụng đất", "Floor-area ratio"),
    ),
    recipe=building_form_recipe,
    parameters=(
        Parameter(
            "storey_height_m",
            "number",
            3.3,
            "Storey height used to derive floors from height_m (m).",
            "Chiều cao tầng để suy ra số tầng từ chiều cao (m).",
            minimum=2,
            maximum=6,
        ),
        Parameter(
            "default_floors",
            "number",
            1.0,
            "Floors of buildings with neither floors nor height.",
            "Số tầng của công trình không có số tầng và chiều cao.",
            minimum=1,
            maximum=100,
        ),
    ),
    limitations=(
        "Block areas are measured to street centre lines (gross blocks, half the street included). "
        "Ward values are over the gross ward area. Blocks are only as good as the street network: "
        "missing alleys merge blocks."
    ),
    keywords_en=("building coverage", "floor-area ratio", "urban form"),
    keywords_vi=("mật độ xây dựng", "hệ số sử dụng đất"),
)

SDG_11_3_1 = IndicatorSpec(
    id="sdg_11_3_1",
    title_vi="Tỷ lệ tốc độ tiêu thụ đất trên tốc độ tăng dân số (SDG 11.3.1) và đất xây dựng trên người",
    title_en="Ratio of land consumption rate to population growth rate (SDG 11.3.1); built-up per capita",
    description_vi=(
        "Tốc độ tăng đất xây dựng (logarit, mỗi năm) giữa hai kỳ của lớp built_up, chia cho tốc độ "
        "tăng dân số (logarit, mỗi năm) giữa hai kỳ Tổng điều tra (chuỗi dân số land.population_census, "
        "Mỹ Tho: 2009 và 2019), cho từng phường/xã và toàn thành phố; và diện tích đất xây dựng trên "
        "mỗi người. Mỗi năm điều tra được ghép với kỳ đất xây dựng gần nhất (cùng năm nếu có), cột "
        "pairing ghi rõ. Khi tỷ số không xác định (không có đất xây dựng, dân số bằng 0 hoặc không đổi, "
        "thiếu số liệu) giá trị để trống và cột reason_vi/reason_en nêu lý do."
    ),
    description_en=(
        "Annual logarithmic growth rate of the built-up area between two epochs of the built_up "
        "raster, over the annual logarithmic growth rate of the population between two censuses "
        "(the time series land.population_census; Mỹ Tho: 2009 and 2019), for each ward and the whole "
        "city; and built-up area per person. Each census year is paired with the nearest built-up "
        "epoch (the same year when loaded); the pairing column says which. Where the ratio is "
        "undefined (no built-up area, population zero or unchanged, data missing) the value is empty "
        "and reason_vi/reason_en say why."
    ),
    theme="land",
    standard="SDG indicator 11.3.1 (UN-Habitat metadata, logarithmic rates)",
    unit="ratio",
    formula=(
        "LCR = ln(Urb_t2/Urb_t1)/(t2−t1); PGR = ln(Pop_y2/Pop_y1)/(y2−y1); LCRPGR = LCR/PGR; "
        "built-up per capita = Urb_t2 / Pop_y2"
    ),
    inputs=("admin_units", "built_up"),
    optional_inputs=("population_census", *POPULATION_INPUTS),
    levels=("city", "ward"),
    value_column="lcrpgr",
    precision=2,
    result_columns=(
        ResultColumn("year_start", "integer", "Năm đầu (đất xây dựng)", "Start year (built-up)"),
        ResultColumn("year_end", "integer", "Năm cuối (đất xây dựng)", "End year (built-up)"),
        ResultColumn("census_year_start", "integer", "Năm điều tra đầu", "Start census year"),
        ResultColumn("census_year_end", "integer", "Năm điều tra cuối", "End census year"),
        ResultColumn("built_up_t1_km2", "real", "Đất xây dựng năm đầu", "Built-up area, start", "km²"),
        ResultColumn("built_up_t2_km2", "real", "Đất xây dựng năm cuối", "Built-up area, end", "km²"),
        ResultColumn(
            "population_t1", "real", "Dân số năm điều tra đầu", "Population, start census", "persons"
        ),
        ResultColumn(
            "population",
            "real",
            "Dân số năm điều tra cuối (hoặc hiện tại)",
            "Population, end census (else current)",
            "persons",
        ),
        ResultColumn("built_up_per_capita_m2", "real", "Đất xây dựng / người", "Built-up per capita", "m²"),
        ResultColumn("lcr_pct", "real", "Tốc độ tiêu thụ đất", "Land consumption rate", "%/year"),
        ResultColumn("pgr_pct", "real", "Tốc độ tăng dân số", "Population growth rate", "%/year"),
        ResultColumn("lcrpgr", "real", "LCRPGR", "LCRPGR"),
        ResultColumn("population_source", "text", "Nguồn dân số", "Population source"),
        ResultColumn(
            "pairing", "text", "Ghép năm (đất xây dựng ↔ điều tra)", "Years paired (built-up ↔ census)"
        ),
        ResultColumn("reason_vi", "text", "Lý do không có giá trị", "Why there is no value (Vietnamese)"),
        ResultColumn(
            "reason_en", "text", "Lý do không có giá trị (tiếng Anh)", "Why there is no value (English)"
        ),
    ),
    recipe=lcrpgr_recipe,
    parameters=(
        Parameter(
            "year_start",
            "integer",
            None,
            "First built_up epoch (default: the epoch nearest to the start census; without a census "
            "series the earliest loaded).",
            "Kỳ đầu của lớp built_up (mặc định: kỳ gần năm điều tra đầu nhất; nếu không có chuỗi dân "
            "số thì kỳ sớm nhất).",
            minimum=1900,
            maximum=2100,
        ),
        Parameter(
            "year_end",
            "integer",
            None,
            "Last built_up epoch (default: the epoch nearest to the end census; without a census "
            "series the latest loaded).",
            "Kỳ cuối của lớp built_up (mặc định: kỳ gần năm điều tra cuối nhất; nếu không có chuỗi dân "
            "số thì kỳ gần nhất).",
            minimum=1900,
            maximum=2100,
        ),
        Parameter(
            "census_year_start",
            "integer",
            None,
            "Start census of land.population_census (default: the earliest, e.g. 2009).",
            "Kỳ điều tra đầu trong land.population_census (mặc định: sớm nhất, ví dụ 2009).",
            minimum=1900,
            maximum=2100,
        ),
        Parameter(
            "census_year_end",
            "integer",
            None,
            "End census of land.population_census (default: the latest, e.g. 2019).",
            "Kỳ điều tra cuối trong land.population_census (mặc định: gần nhất, ví dụ 2019).",
            minimum=1900,
            maximum=2100,
        ),
    ),
    limitations=(
        "The 2009 counts belong to the 2009 census units and are attached to the same-coded units' "
        "outlines of about 2013–2015 (censusVN2009): a boundary change between the censuses would "
        "move people between wards unseen (the city total is unaffected). The five 2025 wards have "
        "no census: both counts are areal estimates from the 17 units of 2019. Built-up epochs and "
        "census years are paired, not interpolated: with GHSL epochs (2010, 2020) each rate is "
        "annual over its own period. A negative PGR (wards that lost population) gives a negative "
        "LCRPGR: built-up grew while population fell. Built-up cells are assigned to units by their "
        "centre; the raster must be in a metric CRS. Without land.population_census only LCR and "
        "built-up per capita (current population) are computed."
    ),
    keywords_en=("SDG 11.3.1", "land consumption", "urban expansion", "population growth"),
    keywords_vi=("tiêu thụ đất", "đô thị hoá", "tăng dân số"),
)
