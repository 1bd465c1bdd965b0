-- Revision 0005_indicators_results: the tables exactly as this revision created them (frozen on 2026-12-01 from
-- the catalog of release v0.1.0; never regenerated). A later change is a new revision.

CREATE TABLE analysis.sdg_11_3_1 (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    year_start BIGINT,
    year_end BIGINT,
    built_up_t1_km2 FLOAT,
    built_up_t2_km2 FLOAT,
    population FLOAT,
    built_up_per_capita_m2 FLOAT,
    lcr_pct FLOAT,
    pgr_pct FLOAT,
    lcrpgr FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_sdg_11_3_1_geom ON analysis.sdg_11_3_1 USING gist (geom);

COMMENT ON TABLE analysis.sdg_11_3_1 IS 'Ratio of land consumption rate to population growth rate (SDG 11.3.1); built-up per capita / Tỷ lệ tốc độ tiêu thụ đất trên tốc độ tăng dân số (SDG 11.3.1) và đất xây dựng trên người [ratio]';

COMMENT ON COLUMN analysis.sdg_11_3_1.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.sdg_11_3_1.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.sdg_11_3_1.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.sdg_11_3_1.year_start IS 'Start year (built-up) / Năm đầu (đất xây dựng)';

COMMENT ON COLUMN analysis.sdg_11_3_1.year_end IS 'End year (built-up) / Năm cuối (đất xây dựng)';

COMMENT ON COLUMN analysis.sdg_11_3_1.built_up_t1_km2 IS 'Built-up area, start / Đất xây dựng năm đầu [km²]';

COMMENT ON COLUMN analysis.sdg_11_3_1.built_up_t2_km2 IS 'Built-up area, end / Đất xây dựng năm cuối [km²]';

COMMENT ON COLUMN analysis.sdg_11_3_1.population IS 'Current population / Dân số hiện tại [persons]';

COMMENT ON COLUMN analysis.sdg_11_3_1.built_up_per_capita_m2 IS 'Built-up per capita / Đất xây dựng / người [m²]';

COMMENT ON COLUMN analysis.sdg_11_3_1.lcr_pct IS 'Land consumption rate / Tốc độ tiêu thụ đất [%/year]';

COMMENT ON COLUMN analysis.sdg_11_3_1.pgr_pct IS 'Population growth rate / Tốc độ tăng dân số [%/year]';

COMMENT ON COLUMN analysis.sdg_11_3_1.lcrpgr IS 'LCRPGR / LCRPGR';

COMMENT ON COLUMN analysis.sdg_11_3_1.population_source IS 'Population source / Nguồn dân số';

CREATE INDEX sdg_11_3_1_level_idx ON analysis.sdg_11_3_1 (level);

CREATE TABLE analysis.transit_access (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    population_within FLOAT,
    share_pct FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_transit_access_geom ON analysis.transit_access USING gist (geom);

COMMENT ON TABLE analysis.transit_access IS 'Share of population with convenient access to public transport (SDG 11.2.1) / Tỷ lệ dân số tiếp cận thuận tiện giao thông công cộng (SDG 11.2.1) [%]';

COMMENT ON COLUMN analysis.transit_access.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.transit_access.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.transit_access.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.transit_access.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.transit_access.population_within IS 'Population within the distance / Dân số trong phạm vi [persons]';

COMMENT ON COLUMN analysis.transit_access.share_pct IS 'Share of population within / Tỷ lệ dân số trong phạm vi [%]';

COMMENT ON COLUMN analysis.transit_access.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX transit_access_level_idx ON analysis.transit_access (level);

CREATE TABLE analysis.health_access (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    population_within FLOAT,
    share_pct FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_health_access_geom ON analysis.health_access USING gist (geom);

COMMENT ON TABLE analysis.health_access IS 'Share of population within walking distance of a health facility / Tỷ lệ dân số trong phạm vi đi bộ tới cơ sở y tế [%]';

COMMENT ON COLUMN analysis.health_access.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.health_access.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.health_access.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.health_access.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.health_access.population_within IS 'Population within the distance / Dân số trong phạm vi [persons]';

COMMENT ON COLUMN analysis.health_access.share_pct IS 'Share of population within / Tỷ lệ dân số trong phạm vi [%]';

COMMENT ON COLUMN analysis.health_access.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX health_access_level_idx ON analysis.health_access (level);

CREATE TABLE analysis.health_beds_2sfca (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    beds_in_unit FLOAT,
    beds_per_1000 FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_health_beds_2sfca_geom ON analysis.health_beds_2sfca USING gist (geom);

COMMENT ON TABLE analysis.health_beds_2sfca IS 'Accessible hospital beds per 1,000 people (2SFCA) / Số giường bệnh tiếp cận được trên 1.000 dân (2SFCA) [beds/1,000 people]';

COMMENT ON COLUMN analysis.health_beds_2sfca.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.health_beds_2sfca.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.health_beds_2sfca.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.health_beds_2sfca.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.health_beds_2sfca.beds_in_unit IS 'Beds located in the unit / Số giường trong đơn vị [beds]';

COMMENT ON COLUMN analysis.health_beds_2sfca.beds_per_1000 IS 'Accessible beds per 1,000 / Giường tiếp cận được / 1.000 dân [beds/1,000]';

COMMENT ON COLUMN analysis.health_beds_2sfca.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX health_beds_2sfca_level_idx ON analysis.health_beds_2sfca (level);

CREATE TABLE analysis.education_access (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    children_primary FLOAT,
    primary_within_pct FLOAT,
    primary_seats_per_child FLOAT,
    children_lower_secondary FLOAT,
    lower_secondary_within_pct FLOAT,
    lower_secondary_seats_per_child FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_education_access_geom ON analysis.education_access USING gist (geom);

COMMENT ON TABLE analysis.education_access IS 'School-age children within walking distance of schools; seats per child / Trẻ em trong độ tuổi đi học tiếp cận trường tiểu học / THCS; chỗ học trên mỗi trẻ [%]';

COMMENT ON COLUMN analysis.education_access.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.education_access.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.education_access.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.education_access.children_primary IS 'Primary-age children / Trẻ độ tuổi tiểu học [persons]';

COMMENT ON COLUMN analysis.education_access.primary_within_pct IS 'Primary-age children within / Tỷ lệ trẻ gần trường tiểu học [%]';

COMMENT ON COLUMN analysis.education_access.primary_seats_per_child IS 'Primary seats per child / Chỗ học tiểu học / trẻ [seats/child]';

COMMENT ON COLUMN analysis.education_access.children_lower_secondary IS 'Lower-secondary-age children / Trẻ độ tuổi THCS [persons]';

COMMENT ON COLUMN analysis.education_access.lower_secondary_within_pct IS 'Lower-secondary-age children within / Tỷ lệ trẻ gần trường THCS [%]';

COMMENT ON COLUMN analysis.education_access.lower_secondary_seats_per_child IS 'Lower-secondary seats per child / Chỗ học THCS / trẻ [seats/child]';

COMMENT ON COLUMN analysis.education_access.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX education_access_level_idx ON analysis.education_access (level);

CREATE TABLE analysis.open_space_share (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    built_up_km2 FLOAT,
    open_space_km2 FLOAT,
    streets_km2 FLOAT,
    open_space_share_pct FLOAT,
    built_up_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_open_space_share_geom ON analysis.open_space_share USING gist (geom);

COMMENT ON TABLE analysis.open_space_share IS 'Share of built-up area that is open public space, streets included (SDG 11.7.1 a) / Tỷ lệ diện tích đất xây dựng là không gian công cộng mở (SDG 11.7.1a) [%]';

COMMENT ON COLUMN analysis.open_space_share.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.open_space_share.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.open_space_share.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.open_space_share.built_up_km2 IS 'Built-up area / Diện tích đất xây dựng [km²]';

COMMENT ON COLUMN analysis.open_space_share.open_space_km2 IS 'Open public space / Không gian công cộng mở [km²]';

COMMENT ON COLUMN analysis.open_space_share.streets_km2 IS 'Street area / Diện tích đường phố [km²]';

COMMENT ON COLUMN analysis.open_space_share.open_space_share_pct IS 'Open public space share / Tỷ lệ không gian công cộng mở [%]';

COMMENT ON COLUMN analysis.open_space_share.built_up_source IS 'Built-up area source / Nguồn đất xây dựng';

CREATE INDEX open_space_share_level_idx ON analysis.open_space_share (level);

CREATE TABLE analysis.open_space_access (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    population_within FLOAT,
    share_pct FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_open_space_access_geom ON analysis.open_space_access USING gist (geom);

COMMENT ON TABLE analysis.open_space_access IS 'Share of population within 400 m walking of open public space (SDG 11.7.1 b) / Tỷ lệ dân số trong phạm vi 400 m đi bộ tới không gian công cộng mở (SDG 11.7.1b) [%]';

COMMENT ON COLUMN analysis.open_space_access.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.open_space_access.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.open_space_access.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.open_space_access.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.open_space_access.population_within IS 'Population within the distance / Dân số trong phạm vi [persons]';

COMMENT ON COLUMN analysis.open_space_access.share_pct IS 'Share of population within / Tỷ lệ dân số trong phạm vi [%]';

COMMENT ON COLUMN analysis.open_space_access.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX open_space_access_level_idx ON analysis.open_space_access (level);

CREATE TABLE analysis.green_area (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    green_ha FLOAT,
    green_ha_per_100k FLOAT,
    public_green_m2 FLOAT,
    public_green_m2_per_person FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_green_area_geom ON analysis.green_area USING gist (geom);

COMMENT ON TABLE analysis.green_area IS 'Green area per 100,000 population (ISO 37120) and public green space per person / Diện tích cây xanh trên 100.000 dân (ISO 37120) và cây xanh công cộng trên người [ha/100,000 people]';

COMMENT ON COLUMN analysis.green_area.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.green_area.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.green_area.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.green_area.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.green_area.green_ha IS 'Green area / Diện tích cây xanh [ha]';

COMMENT ON COLUMN analysis.green_area.green_ha_per_100k IS 'Green area per 100,000 / Cây xanh / 100.000 dân [ha]';

COMMENT ON COLUMN analysis.green_area.public_green_m2 IS 'Public green space / Cây xanh công cộng [m²]';

COMMENT ON COLUMN analysis.green_area.public_green_m2_per_person IS 'Public green per person / Cây xanh công cộng / người [m²]';

COMMENT ON COLUMN analysis.green_area.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX green_area_level_idx ON analysis.green_area (level);

CREATE TABLE analysis.street_network (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    area_km2 FLOAT,
    intersections FLOAT,
    intersection_density_per_km2 FLOAT,
    street_km FLOAT,
    street_density_km_per_km2 FLOAT,
    street_land_share_pct FLOAT,
    nodes FLOAT,
    edges FLOAT,
    meshedness FLOAT,
    gamma FLOAT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_street_network_geom ON analysis.street_network USING gist (geom);

COMMENT ON TABLE analysis.street_network IS 'Street network: intersection density, street density, land in streets, connectivity / Mạng lưới đường: mật độ giao lộ, mật độ đường, đất giao thông, độ liên kết [intersections/km²]';

COMMENT ON COLUMN analysis.street_network.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.street_network.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.street_network.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.street_network.area_km2 IS 'Area / Diện tích [km²]';

COMMENT ON COLUMN analysis.street_network.intersections IS 'Intersections (3+ way) / Số giao lộ (≥3 nhánh)';

COMMENT ON COLUMN analysis.street_network.intersection_density_per_km2 IS 'Intersection density / Mật độ giao lộ [1/km²]';

COMMENT ON COLUMN analysis.street_network.street_km IS 'Street length / Chiều dài đường [km]';

COMMENT ON COLUMN analysis.street_network.street_density_km_per_km2 IS 'Street density / Mật độ đường [km/km²]';

COMMENT ON COLUMN analysis.street_network.street_land_share_pct IS 'Land in streets / Tỷ lệ đất giao thông [%]';

COMMENT ON COLUMN analysis.street_network.nodes IS 'Walking network nodes / Số nút mạng đi bộ';

COMMENT ON COLUMN analysis.street_network.edges IS 'Walking network edges / Số cạnh mạng đi bộ';

COMMENT ON COLUMN analysis.street_network.meshedness IS 'Meshedness / Hệ số lưới';

COMMENT ON COLUMN analysis.street_network.gamma IS 'Gamma connectivity / Chỉ số gamma';

CREATE INDEX street_network_level_idx ON analysis.street_network (level);

CREATE TABLE analysis.building_form (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    area_m2 FLOAT,
    footprint_m2 FLOAT,
    floor_area_m2 FLOAT,
    coverage_pct FLOAT,
    far FLOAT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_building_form_geom ON analysis.building_form USING gist (geom);

COMMENT ON TABLE analysis.building_form IS 'Building coverage ratio and floor-area ratio by street block and ward / Mật độ xây dựng và hệ số sử dụng đất theo ô phố và phường [FAR]';

COMMENT ON COLUMN analysis.building_form.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.building_form.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.building_form.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.building_form.area_m2 IS 'Area / Diện tích [m²]';

COMMENT ON COLUMN analysis.building_form.footprint_m2 IS 'Building footprint / Diện tích chiếm đất [m²]';

COMMENT ON COLUMN analysis.building_form.floor_area_m2 IS 'Floor area / Tổng diện tích sàn [m²]';

COMMENT ON COLUMN analysis.building_form.coverage_pct IS 'Building coverage / Mật độ xây dựng [%]';

COMMENT ON COLUMN analysis.building_form.far IS 'Floor-area ratio / Hệ số sử dụng đất';

CREATE INDEX building_form_level_idx ON analysis.building_form (level);

CREATE TABLE analysis.land_use_mix (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    categories_km2 FLOAT,
    categories_present FLOAT,
    entropy FLOAT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_land_use_mix_geom ON analysis.land_use_mix USING gist (geom);

COMMENT ON TABLE analysis.land_use_mix IS 'Land-use mix (entropy index) / Mức độ hỗn hợp sử dụng đất (chỉ số entropy) [index 0–1]';

COMMENT ON COLUMN analysis.land_use_mix.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.land_use_mix.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.land_use_mix.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.land_use_mix.categories_km2 IS 'Area of the groups considered / Diện tích các nhóm xét [km²]';

COMMENT ON COLUMN analysis.land_use_mix.categories_present IS 'Groups present / Số nhóm có mặt';

COMMENT ON COLUMN analysis.land_use_mix.entropy IS 'Entropy index / Chỉ số entropy [0–1]';

CREATE INDEX land_use_mix_level_idx ON analysis.land_use_mix (level);

CREATE TABLE analysis.flood_exposure (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    buildings FLOAT,
    road_km FLOAT,
    level_h1_m FLOAT,
    population_h1 FLOAT,
    population_h1_pct FLOAT,
    buildings_h1 FLOAT,
    road_km_h1 FLOAT,
    level_h2_m FLOAT,
    population_h2 FLOAT,
    population_h2_pct FLOAT,
    buildings_h2 FLOAT,
    road_km_h2 FLOAT,
    level_h3_m FLOAT,
    population_h3 FLOAT,
    population_h3_pct FLOAT,
    buildings_h3 FLOAT,
    road_km_h3 FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_flood_exposure_geom ON analysis.flood_exposure USING gist (geom);

COMMENT ON TABLE analysis.flood_exposure IS 'Population, buildings and roads exposed to flooding by water level (hydrologically connected) / Dân số, công trình và đường bị ngập theo mực nước (có kết nối thuỷ văn) [%]';

COMMENT ON COLUMN analysis.flood_exposure.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.flood_exposure.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.flood_exposure.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.flood_exposure.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.flood_exposure.buildings IS 'Buildings / Số công trình';

COMMENT ON COLUMN analysis.flood_exposure.road_km IS 'Road length / Chiều dài đường [km]';

COMMENT ON COLUMN analysis.flood_exposure.level_h1_m IS 'Water level 1 / Mực nước 1 [m]';

COMMENT ON COLUMN analysis.flood_exposure.population_h1 IS 'Population exposed at level 1 / Dân số bị ngập ở mực 1 [persons]';

COMMENT ON COLUMN analysis.flood_exposure.population_h1_pct IS 'Share exposed at level 1 / Tỷ lệ dân bị ngập ở mực 1 [%]';

COMMENT ON COLUMN analysis.flood_exposure.buildings_h1 IS 'Buildings exposed at level 1 / Công trình bị ngập ở mực 1';

COMMENT ON COLUMN analysis.flood_exposure.road_km_h1 IS 'Road length exposed at level 1 / Đường bị ngập ở mực 1 [km]';

COMMENT ON COLUMN analysis.flood_exposure.level_h2_m IS 'Water level 2 / Mực nước 2 [m]';

COMMENT ON COLUMN analysis.flood_exposure.population_h2 IS 'Population exposed at level 2 / Dân số bị ngập ở mực 2 [persons]';

COMMENT ON COLUMN analysis.flood_exposure.population_h2_pct IS 'Share exposed at level 2 / Tỷ lệ dân bị ngập ở mực 2 [%]';

COMMENT ON COLUMN analysis.flood_exposure.buildings_h2 IS 'Buildings exposed at level 2 / Công trình bị ngập ở mực 2';

COMMENT ON COLUMN analysis.flood_exposure.road_km_h2 IS 'Road length exposed at level 2 / Đường bị ngập ở mực 2 [km]';

COMMENT ON COLUMN analysis.flood_exposure.level_h3_m IS 'Water level 3 / Mực nước 3 [m]';

COMMENT ON COLUMN analysis.flood_exposure.population_h3 IS 'Population exposed at level 3 / Dân số bị ngập ở mực 3 [persons]';

COMMENT ON COLUMN analysis.flood_exposure.population_h3_pct IS 'Share exposed at level 3 / Tỷ lệ dân bị ngập ở mực 3 [%]';

COMMENT ON COLUMN analysis.flood_exposure.buildings_h3 IS 'Buildings exposed at level 3 / Công trình bị ngập ở mực 3';

COMMENT ON COLUMN analysis.flood_exposure.road_km_h3 IS 'Road length exposed at level 3 / Đường bị ngập ở mực 3 [km]';

COMMENT ON COLUMN analysis.flood_exposure.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX flood_exposure_level_idx ON analysis.flood_exposure (level);

CREATE TABLE analysis.walkability (
    result_id TEXT NOT NULL,
    run_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    vintage INTEGER,
    name_vi TEXT,
    name_en TEXT,
    population FLOAT,
    walkability FLOAT,
    daily_living FLOAT,
    population_density_km2 FLOAT,
    intersection_density_km2 FLOAT,
    population_source TEXT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (result_id)
);

CREATE INDEX idx_walkability_geom ON analysis.walkability USING gist (geom);

COMMENT ON TABLE analysis.walkability IS 'Walkability and daily-living index (after the Global Healthy and Sustainable City Indicators) / Chỉ số đi bộ và tiện ích hằng ngày (theo phương pháp GHSCI) [z-score sum]';

COMMENT ON COLUMN analysis.walkability.result_id IS '<level>:<unit_id>';

COMMENT ON COLUMN analysis.walkability.run_id IS 'analysis.indicator_runs';

COMMENT ON COLUMN analysis.walkability.level IS 'city, ward or grid';

COMMENT ON COLUMN analysis.walkability.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN analysis.walkability.walkability IS 'Walkability index / Chỉ số đi bộ [z]';

COMMENT ON COLUMN analysis.walkability.daily_living IS 'Daily-living score / Điểm tiện ích hằng ngày [0–3]';

COMMENT ON COLUMN analysis.walkability.population_density_km2 IS 'Neighbourhood population density / Mật độ dân số lân cận [people/km²]';

COMMENT ON COLUMN analysis.walkability.intersection_density_km2 IS 'Neighbourhood intersection density / Mật độ giao lộ lân cận [1/km²]';

COMMENT ON COLUMN analysis.walkability.population_source IS 'Where the population points come from / Nguồn phân bố dân cư';

CREATE INDEX walkability_level_idx ON analysis.walkability (level);
