"""Accessibility indicators: public transport (SDG 11.2.1), health, education."""

from __future__ import annotations

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
from analysis.indicators.access_recipes import (
    education_access_recipe,
    health_access_recipe,
    health_beds_recipe,
    transit_access_recipe,
)
from analysis.indicators.walkability import walkability_recipe
from analysis.spec import IndicatorSpec, Parameter, ResultColumn

TRANSIT_ACCESS = IndicatorSpec(
    id="transit_access",
    title_vi="Tỷ lệ dân số tiếp cận thuận tiện giao thông công cộng (SDG 11.2.1)",
    title_en="Share of population with convenient access to public transport (SDG 11.2.1)",
    description_vi=(
        "Tỷ lệ dân số sống trong phạm vi 500 m đi bộ tới điểm dừng sức chở thấp (xe buýt) hoặc 1 km "
        "tới điểm dừng sức chở cao (BRT, đường sắt, phà), tuỳ chọn chỉ tính điểm dừng đủ tần suất. "
        + WALK_VI
        + ORIGINS_VI
    ),
    description_en=(
        "Share of the population living within 500 m walking of a low-capacity stop (bus) or 1 km "
        "of a high-capacity stop (BRT, rail, ferry), optionally only stops with frequent service. "
        + WALK_EN
        + ORIGINS_EN
    ),
    theme="mobility",
    standard="SDG indicator 11.2.1 (UN-Habitat metadata, 2021 revision)",
    unit="%",
    formula="share = Σ pop[d_low ≤ 500 m or d_high ≤ 1000 m] / Σ pop × 100",
    inputs=("admin_units", "roads", "transit_stops"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward", "grid"),
    value_column="share_pct",
    precision=1,
    result_columns=SHARE_COLUMNS,
    recipe=transit_access_recipe,
    parameters=(
        distance(
            "low_capacity_m",
            500.0,
            "Walking distance to a low-capacity stop (m).",
            "Khoảng cách đi bộ tới điểm dừng sức chở thấp (m).",
        ),
        distance(
            "high_capacity_m",
            1000.0,
            "Walking distance to a high-capacity stop (m).",
            "Khoảng cách đi bộ tới điểm dừng sức chở cao (m).",
        ),
        Parameter(
            "min_weekday_departures",
            "integer",
            0,
            "Count only stops with at least this many weekday departures (0: every stop; stops "
            "with unknown frequency are dropped when > 0).",
            "Chỉ tính điểm dừng có ít nhất số chuyến ngày thường này (0: mọi điểm dừng).",
            minimum=0,
            maximum=5000,
        ),
    ),
    limitations=WALK_LIMITS + " Stop capacity comes from the stops layer (capacity = low/high).",
    keywords_en=("SDG 11.2.1", "public transport", "accessibility"),
    keywords_vi=("giao thông công cộng", "tiếp cận"),
)

HEALTH_ACCESS = IndicatorSpec(
    id="health_access",
    title_vi="Tỷ lệ dân số trong phạm vi đi bộ tới cơ sở y tế",
    title_en="Share of population within walking distance of a health facility",
    description_vi=(
        "Tỷ lệ dân số sống trong phạm vi đi bộ (mặc định 1 km) tới bệnh viện, trạm y tế hoặc phòng "
        "khám. " + WALK_VI + ORIGINS_VI
    ),
    description_en=(
        "Share of the population living within a walking distance (default 1 km) of a hospital, "
        "health station or clinic. " + WALK_EN + ORIGINS_EN
    ),
    theme="health",
    standard="Global Healthy and Sustainable City Indicators (access to services); local",
    unit="%",
    formula="share = Σ pop[d_health ≤ distance_m] / Σ pop × 100",
    inputs=("admin_units", "roads", "health_facilities"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward", "grid"),
    value_column="share_pct",
    precision=1,
    result_columns=SHARE_COLUMNS,
    recipe=health_access_recipe,
    parameters=(
        distance("distance_m", 1000.0, "Walking distance (m).", "Khoảng cách đi bộ (m)."),
        Parameter(
            "facility_types",
            "text",
            "hospital,health_station,clinic,polyclinic",
            "Comma-separated facility types that count (pharmacies excluded by default).",
            "Các loại cơ sở được tính, cách nhau bằng dấu phẩy (mặc định không tính nhà thuốc).",
        ),
    ),
    limitations=WALK_LIMITS + " Every facility counts the same, whatever its size or opening hours.",
    keywords_en=("health", "accessibility"),
    keywords_vi=("y tế", "tiếp cận"),
)

HEALTH_BEDS = IndicatorSpec(
    id="health_beds_2sfca",
    title_vi="Số giường bệnh tiếp cận được trên 1.000 dân (2SFCA)",
    title_en="Accessible hospital beds per 1,000 people (2SFCA)",
    description_vi=(
        "Tỷ lệ cung–cầu theo phương pháp vùng phục vụ di động hai bước (2SFCA): mỗi cơ sở chia số "
        "giường cho dân số trong vùng phục vụ (khoảng cách đi bộ trên mạng đường), rồi mỗi điểm dân "
        "cư cộng các tỷ lệ của các cơ sở phục vụ nó; giá trị phường/xã là trung bình có trọng số dân số."
    ),
    description_en=(
        "Supply-to-demand ratio by the two-step floating catchment area method (2SFCA): each "
        "facility's beds are divided by the population within its catchment (network distance), "
        "then each population point sums the ratios of the facilities reaching it; ward and city "
        "values are population-weighted means. " + ORIGINS_EN
    ),
    theme="health",
    standard="Two-step floating catchment area (Luo & Wang 2003); local",
    unit="beds/1,000 people",
    formula="R_j = beds_j / Σ_{d_ij ≤ d0} P_i; A_i = Σ_{d_ij ≤ d0} R_j; ward = 1000 × Σ P_i A_i / Σ P_i",
    inputs=("admin_units", "roads", "health_facilities"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward", "grid"),
    value_column="beds_per_1000",
    precision=2,
    result_columns=(
        POPULATION,
        ResultColumn("beds_in_unit", "real", "Số giường trong đơn vị", "Beds located in the unit", "beds"),
        ResultColumn(
            "beds_per_1000",
            "real",
            "Giường tiếp cận được / 1.000 dân",
            "Accessible beds per 1,000",
            "beds/1,000",
        ),
        POPULATION_SOURCE,
    ),
    recipe=health_beds_recipe,
    parameters=(
        distance(
            "catchment_m",
            3000.0,
            "Catchment: network distance from a facility (m).",
            "Bán kính vùng phục vụ theo mạng đường (m).",
        ),
    ),
    limitations=(
        "Binary catchment (no distance decay) on the walking network, so hospitals serving the "
        "whole province by motorbike are under-credited; population outside the study area is not "
        "counted as demand (edge effect). Facilities without beds are ignored. " + WALK_LIMITS
    ),
    keywords_en=("2SFCA", "hospital beds", "health"),
    keywords_vi=("giường bệnh", "y tế"),
)

EDUCATION_ACCESS = IndicatorSpec(
    id="education_access",
    title_vi="Trẻ em trong độ tuổi đi học tiếp cận trường tiểu học / THCS; chỗ học trên mỗi trẻ",
    title_en="School-age children within walking distance of schools; seats per child",
    description_vi=(
        "Tỷ lệ trẻ em độ tuổi tiểu học (THCS) sống trong phạm vi đi bộ 500 m (1.000 m) tới trường "
        "tiểu học (THCS), theo bán kính phục vụ của QCVN 01:2021/BXD, và số chỗ học trên mỗi trẻ của "
        "phường/xã. Số trẻ = dân số × tỷ lệ độ tuổi (tham số). " + WALK_VI
    ),
    description_en=(
        "Share of primary (lower-secondary) school-age children living within 500 m (1,000 m) "
        "walking of a primary (lower-secondary) school — the service radii of QCVN 01:2021/BXD — "
        "and school seats per child in each ward. Children = population × age share (parameters). "
        + WALK_EN
        + ORIGINS_EN
    ),
    theme="education",
    standard="QCVN 01:2021/BXD (service radii of schools); local",
    unit="%",
    formula=(
        "children_k = pop × age_share_k; within_pct_k = Σ children_k[d_k ≤ r_k] / Σ children_k × 100; "
        "seats_per_child_k = Σ capacity of level-k schools in unit / children_k"
    ),
    inputs=("admin_units", "roads", "schools"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward", "grid"),
    value_column="primary_within_pct",
    precision=1,
    result_columns=(
        ResultColumn("children_primary", "real", "Trẻ độ tuổi tiểu học", "Primary-age children", "persons"),
        ResultColumn(
            "primary_within_pct", "real", "Tỷ lệ trẻ gần trường tiểu học", "Primary-age children within", "%"
        ),
        ResultColumn(
            "primary_seats_per_child",
            "real",
            "Chỗ học tiểu học / trẻ",
            "Primary seats per child",
            "seats/child",
        ),
        ResultColumn(
            "children_lower_secondary", "real", "Trẻ độ tuổi THCS", "Lower-secondary-age children", "persons"
        ),
        ResultColumn(
            "lower_secondary_within_pct",
            "real",
            "Tỷ lệ trẻ gần trường THCS",
            "Lower-secondary-age children within",
            "%",
        ),
        ResultColumn(
            "lower_secondary_seats_per_child",
            "real",
            "Chỗ học THCS / trẻ",
            "Lower-secondary seats per child",
            "seats/child",
        ),
        POPULATION_SOURCE,
    ),
    recipe=education_access_recipe,
    parameters=(
        distance(
            "primary_m",
            500.0,
            "Walking distance to a primary school (m).",
            "Khoảng cách tới trường tiểu học (m).",
        ),
        distance(
            "lower_secondary_m",
            1000.0,
            "Walking distance to a lower-secondary school (m).",
            "Khoảng cách tới trường THCS (m).",
        ),
        Parameter(
            "primary_age_share",
            "number",
            0.08,
            "Share of the population aged 6–10 (approximate national 2019 census value; set the local one).",
            "Tỷ lệ dân số 6–10 tuổi (xấp xỉ toàn quốc 2019; nên đặt theo địa phương).",
            minimum=0,
            maximum=1,
        ),
        Parameter(
            "lower_secondary_age_share",
            "number",
            0.058,
            "Share of the population aged 11–14 (approximate national 2019 census value; set the local one).",
            "Tỷ lệ dân số 11–14 tuổi (xấp xỉ toàn quốc 2019; nên đặt theo địa phương).",
            minimum=0,
            maximum=1,
        ),
    ),
    limitations=(
        "Children are a fixed share of every population point (no local age structure). Seats are "
        "counted in the unit where the school stands, whoever attends it; grid-cell seat ratios are "
        "therefore not meaningful. " + WALK_LIMITS
    ),
    keywords_en=("education", "schools", "accessibility"),
    keywords_vi=("giáo dục", "trường học"),
)

WALKABILITY = IndicatorSpec(
    id="walkability",
    title_vi="Chỉ số đi bộ và tiện ích hằng ngày (theo phương pháp GHSCI)",
    title_en="Walkability and daily-living index (after the Global Healthy and Sustainable City Indicators)",
    description_vi=(
        "Tổng điểm chuẩn hoá (z) của mật độ dân số, mật độ giao lộ trong bán kính 1 km và điểm tiện ích "
        "hằng ngày 0–3 (chợ/siêu thị, cửa hàng tiện lợi, điểm dừng xe buýt trong 500 m đi bộ). "
        "0 = mức trung bình của thành phố; so sánh các nơi trong cùng một thành phố."
    ),
    description_en=(
        "Sum of the z-scores of population density, intersection density (1 km neighbourhood) and a "
        "daily-living score 0–3 (fresh-food market, convenience shop, public-transport stop within "
        "500 m walking). 0 = the city average; it compares places within one city. " + WALK_EN + ORIGINS_EN
    ),
    theme="health",
    standard="Global Healthy and Sustainable City Indicators (walkability index); local adaptation",
    unit="z-score sum",
    formula=(
        "walkability_i = z(pop density_i) + z(intersection density_i) + z(daily living_i); "
        "unit value = Σ pop_i walkability_i / Σ pop_i"
    ),
    inputs=("admin_units", "roads", "markets", "transit_stops"),
    optional_inputs=POPULATION_INPUTS,
    levels=("city", "ward", "grid"),
    value_column="walkability",
    precision=2,
    result_columns=(
        POPULATION,
        ResultColumn("walkability", "real", "Chỉ số đi bộ", "Walkability index", "z"),
        ResultColumn("daily_living", "real", "Điểm tiện ích hằng ngày", "Daily-living score", "0–3"),
        ResultColumn(
            "population_density_km2",
            "real",
            "Mật độ dân số lân cận",
            "Neighbourhood population density",
            "people/km²",
        ),
        ResultColumn(
            "intersection_density_km2",
            "real",
            "Mật độ giao lộ lân cận",
            "Neighbourhood intersection density",
            "1/km²",
        ),
        POPULATION_SOURCE,
    ),
    recipe=walkability_recipe,
    parameters=(
        distance("radius_m", 1000.0, "Neighbourhood radius for the densities (m).", "Bán kính lân cận (m)."),
        distance(
            "daily_m",
            500.0,
            "Walking distance to daily-living destinations (m).",
            "Khoảng cách đi bộ tới tiện ích (m).",
        ),
    ),
    limitations=(
        "Densities use a straight-line 1 km circle, not the 1 km network buffer of the GHSCI method. "
        "The index is relative (z-scores within the study area): values of two cities are not "
        "comparable. " + WALK_LIMITS
    ),
    keywords_en=("walkability", "daily living", "healthy cities"),
    keywords_vi=("đi bộ", "tiện ích"),
)
