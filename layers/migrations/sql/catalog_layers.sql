-- Revision 0004_catalog_layers: the tables exactly as this revision created them (frozen on 2026-12-01 from
-- the catalog of release v0.1.0; never regenerated). A later change is a new revision.

CREATE TABLE land.land_use (
    zone_id TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    plan_year BIGINT,
    name TEXT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (zone_id),
    CONSTRAINT land_use_code_allowed CHECK (code IN ('ODT', 'ONT', 'TMD', 'DCH', 'SKC', 'SKK', 'TSC', 'DGD', 'DYT', 'DVH', 'DTT', 'DKV', 'TON', 'TIN', 'NTD', 'CQP', 'CAN', 'DGT', 'DTL', 'DNL', 'SON', 'MNC', 'LUA', 'HNK', 'CLN', 'NTS', 'BCS')),
    CONSTRAINT land_use_status_allowed CHECK (status IN ('current', 'planned'))
);

CREATE INDEX idx_land_use_geom ON land.land_use USING gist (geom);

COMMENT ON TABLE land.land_use IS 'Land use (current and planned) / Sử dụng đất (hiện trạng và quy hoạch)';

COMMENT ON COLUMN land.land_use.zone_id IS 'Zone id / Mã khu đất';

COMMENT ON COLUMN land.land_use.code IS 'Land-use code / Mã loại đất';

COMMENT ON COLUMN land.land_use.status IS 'Current or planned / Hiện trạng/quy hoạch';

COMMENT ON COLUMN land.land_use.plan_year IS 'Plan horizon year / Năm quy hoạch';

COMMENT ON COLUMN land.land_use.name IS 'Zone name / Tên khu';

COMMENT ON COLUMN land.land_use.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN land.land_use.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN land.land_use.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE land.parcels (
    parcel_id TEXT NOT NULL,
    sheet_no TEXT,
    parcel_no TEXT,
    land_use_code TEXT,
    area_m2 FLOAT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (parcel_id),
    CONSTRAINT parcels_land_use_code_allowed CHECK (land_use_code IN ('ODT', 'ONT', 'TMD', 'DCH', 'SKC', 'SKK', 'TSC', 'DGD', 'DYT', 'DVH', 'DTT', 'DKV', 'TON', 'TIN', 'NTD', 'CQP', 'CAN', 'DGT', 'DTL', 'DNL', 'SON', 'MNC', 'LUA', 'HNK', 'CLN', 'NTS', 'BCS'))
);

CREATE INDEX idx_parcels_geom ON land.parcels USING gist (geom);

COMMENT ON TABLE land.parcels IS 'Cadastral parcels / Thửa đất';

COMMENT ON COLUMN land.parcels.parcel_id IS 'Parcel id / Mã thửa';

COMMENT ON COLUMN land.parcels.sheet_no IS 'Cadastral map sheet / Số tờ bản đồ';

COMMENT ON COLUMN land.parcels.parcel_no IS 'Parcel number / Số thửa';

COMMENT ON COLUMN land.parcels.land_use_code IS 'Land-use code / Mã loại đất';

COMMENT ON COLUMN land.parcels.area_m2 IS 'Legal area / Diện tích pháp lý [m²]';

COMMENT ON COLUMN land.parcels.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN land.parcels.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN land.parcels.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE land.buildings (
    building_id TEXT NOT NULL,
    use TEXT NOT NULL,
    floors BIGINT,
    height_m FLOAT,
    unit_id TEXT,
    residents FLOAT,
    year_built BIGINT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (building_id),
    CONSTRAINT buildings_use_allowed CHECK (use IN ('residential', 'mixed', 'commercial', 'industrial', 'public', 'religious', 'other'))
);

CREATE INDEX idx_buildings_geom ON land.buildings USING gist (geom);

COMMENT ON TABLE land.buildings IS 'Buildings / Công trình xây dựng';

COMMENT ON COLUMN land.buildings.building_id IS 'Building id / Mã công trình';

COMMENT ON COLUMN land.buildings.use IS 'Use / Công năng';

COMMENT ON COLUMN land.buildings.floors IS 'Floors / Số tầng [floors]';

COMMENT ON COLUMN land.buildings.height_m IS 'Height / Chiều cao [m]';

COMMENT ON COLUMN land.buildings.unit_id IS 'Admin unit id / Mã phường/xã';

COMMENT ON COLUMN land.buildings.residents IS 'Residents (estimated) / Số người ở (ước tính) [persons]';

COMMENT ON COLUMN land.buildings.year_built IS 'Year built / Năm xây dựng';

COMMENT ON COLUMN land.buildings.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN land.buildings.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN land.buildings.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.roads (
    road_id TEXT NOT NULL,
    road_class TEXT NOT NULL,
    name TEXT,
    oneway BOOLEAN,
    walkable BOOLEAN NOT NULL,
    surface TEXT,
    width_m FLOAT,
    lanes BIGINT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTILINESTRING,4326) NOT NULL,
    PRIMARY KEY (road_id),
    CONSTRAINT roads_road_class_allowed CHECK (road_class IN ('motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'residential', 'service', 'unclassified', 'track', 'path', 'footway', 'cycleway', 'pedestrian', 'living_street', 'steps')),
    CONSTRAINT roads_surface_allowed CHECK (surface IN ('paved', 'asphalt', 'concrete', 'unpaved', 'gravel', 'dirt', 'other'))
);

CREATE INDEX idx_roads_geom ON infrastructure.roads USING gist (geom);

COMMENT ON TABLE infrastructure.roads IS 'Street network / Mạng lưới đường';

COMMENT ON COLUMN infrastructure.roads.road_id IS 'Road segment id / Mã đoạn đường';

COMMENT ON COLUMN infrastructure.roads.road_class IS 'Road class / Cấp đường';

COMMENT ON COLUMN infrastructure.roads.name IS 'Street name / Tên đường';

COMMENT ON COLUMN infrastructure.roads.oneway IS 'One-way / Một chiều';

COMMENT ON COLUMN infrastructure.roads.walkable IS 'Walkable / Đi bộ được';

COMMENT ON COLUMN infrastructure.roads.surface IS 'Surface / Mặt đường';

COMMENT ON COLUMN infrastructure.roads.width_m IS 'Width / Bề rộng [m]';

COMMENT ON COLUMN infrastructure.roads.lanes IS 'Lanes / Số làn';

COMMENT ON COLUMN infrastructure.roads.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.roads.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.roads.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.transit_stops (
    stop_id TEXT NOT NULL,
    name TEXT,
    mode TEXT NOT NULL,
    capacity TEXT NOT NULL,
    weekday_departures BIGINT,
    peak_headway_min FLOAT,
    routes TEXT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(POINT,4326) NOT NULL,
    PRIMARY KEY (stop_id),
    CONSTRAINT transit_stops_mode_allowed CHECK (mode IN ('bus', 'brt', 'tram', 'rail', 'ferry')),
    CONSTRAINT transit_stops_capacity_allowed CHECK (capacity IN ('low', 'high'))
);

CREATE INDEX idx_transit_stops_geom ON infrastructure.transit_stops USING gist (geom);

COMMENT ON TABLE infrastructure.transit_stops IS 'Public transport stops / Điểm dừng giao thông công cộng';

COMMENT ON COLUMN infrastructure.transit_stops.stop_id IS 'Stop id / Mã điểm dừng';

COMMENT ON COLUMN infrastructure.transit_stops.name IS 'Stop name / Tên điểm dừng';

COMMENT ON COLUMN infrastructure.transit_stops.mode IS 'Mode / Phương thức';

COMMENT ON COLUMN infrastructure.transit_stops.capacity IS 'Capacity / Sức chở';

COMMENT ON COLUMN infrastructure.transit_stops.weekday_departures IS 'Weekday departures / Số chuyến ngày thường [departures/day]';

COMMENT ON COLUMN infrastructure.transit_stops.peak_headway_min IS 'Peak headway / Giãn cách giờ cao điểm [min]';

COMMENT ON COLUMN infrastructure.transit_stops.routes IS 'Routes / Tuyến';

COMMENT ON COLUMN infrastructure.transit_stops.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.transit_stops.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.transit_stops.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.schools (
    school_id TEXT NOT NULL,
    name TEXT,
    level TEXT NOT NULL,
    capacity BIGINT,
    public BOOLEAN,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(POINT,4326) NOT NULL,
    PRIMARY KEY (school_id),
    CONSTRAINT schools_level_allowed CHECK (level IN ('kindergarten', 'primary', 'lower_secondary', 'upper_secondary', 'vocational', 'university'))
);

CREATE INDEX idx_schools_geom ON infrastructure.schools USING gist (geom);

COMMENT ON TABLE infrastructure.schools IS 'Schools / Trường học';

COMMENT ON COLUMN infrastructure.schools.school_id IS 'School id / Mã trường';

COMMENT ON COLUMN infrastructure.schools.name IS 'School name / Tên trường';

COMMENT ON COLUMN infrastructure.schools.level IS 'Level / Cấp học';

COMMENT ON COLUMN infrastructure.schools.capacity IS 'Seats / Số chỗ học [pupils]';

COMMENT ON COLUMN infrastructure.schools.public IS 'Public school / Công lập';

COMMENT ON COLUMN infrastructure.schools.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.schools.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.schools.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.health_facilities (
    facility_id TEXT NOT NULL,
    name TEXT,
    type TEXT NOT NULL,
    beds BIGINT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(POINT,4326) NOT NULL,
    PRIMARY KEY (facility_id),
    CONSTRAINT health_facilities_type_allowed CHECK (type IN ('hospital', 'health_station', 'clinic', 'pharmacy', 'polyclinic'))
);

CREATE INDEX idx_health_facilities_geom ON infrastructure.health_facilities USING gist (geom);

COMMENT ON TABLE infrastructure.health_facilities IS 'Health facilities / Cơ sở y tế';

COMMENT ON COLUMN infrastructure.health_facilities.facility_id IS 'Facility id / Mã cơ sở';

COMMENT ON COLUMN infrastructure.health_facilities.name IS 'Name / Tên cơ sở';

COMMENT ON COLUMN infrastructure.health_facilities.type IS 'Type / Loại';

COMMENT ON COLUMN infrastructure.health_facilities.beds IS 'Beds / Số giường [beds]';

COMMENT ON COLUMN infrastructure.health_facilities.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.health_facilities.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.health_facilities.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.markets (
    market_id TEXT NOT NULL,
    name TEXT,
    type TEXT NOT NULL,
    stalls BIGINT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(POINT,4326) NOT NULL,
    PRIMARY KEY (market_id),
    CONSTRAINT markets_type_allowed CHECK (type IN ('market', 'supermarket', 'convenience', 'wholesale'))
);

CREATE INDEX idx_markets_geom ON infrastructure.markets USING gist (geom);

COMMENT ON TABLE infrastructure.markets IS 'Markets and food shops / Chợ và điểm bán thực phẩm';

COMMENT ON COLUMN infrastructure.markets.market_id IS 'Market id / Mã chợ';

COMMENT ON COLUMN infrastructure.markets.name IS 'Name / Tên chợ';

COMMENT ON COLUMN infrastructure.markets.type IS 'Type / Loại';

COMMENT ON COLUMN infrastructure.markets.stalls IS 'Stalls / Số sạp';

COMMENT ON COLUMN infrastructure.markets.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.markets.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.markets.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.public_facilities (
    facility_id TEXT NOT NULL,
    name TEXT,
    type TEXT NOT NULL,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(POINT,4326) NOT NULL,
    PRIMARY KEY (facility_id),
    CONSTRAINT public_facilities_type_allowed CHECK (type IN ('government', 'police', 'fire_station', 'community_centre', 'library', 'post_office', 'place_of_worship', 'sports', 'other'))
);

CREATE INDEX idx_public_facilities_geom ON infrastructure.public_facilities USING gist (geom);

COMMENT ON TABLE infrastructure.public_facilities IS 'Public facilities / Công trình công cộng';

COMMENT ON COLUMN infrastructure.public_facilities.facility_id IS 'Facility id / Mã công trình';

COMMENT ON COLUMN infrastructure.public_facilities.name IS 'Name / Tên';

COMMENT ON COLUMN infrastructure.public_facilities.type IS 'Type / Loại';

COMMENT ON COLUMN infrastructure.public_facilities.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.public_facilities.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.public_facilities.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE infrastructure.utilities (
    utility_id TEXT NOT NULL,
    type TEXT NOT NULL,
    diameter_mm FLOAT,
    capacity_m3s FLOAT,
    name TEXT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTILINESTRING,4326) NOT NULL,
    PRIMARY KEY (utility_id),
    CONSTRAINT utilities_type_allowed CHECK (type IN ('drain', 'sewer', 'water_main', 'power_line', 'dyke', 'sluice_gate', 'pumping_station'))
);

CREATE INDEX idx_utilities_geom ON infrastructure.utilities USING gist (geom);

COMMENT ON TABLE infrastructure.utilities IS 'Utilities (drainage, pumping stations, lines) / Hạ tầng kỹ thuật (thoát nước, trạm bơm, đường dây)';

COMMENT ON COLUMN infrastructure.utilities.utility_id IS 'Utility id / Mã công trình';

COMMENT ON COLUMN infrastructure.utilities.type IS 'Type / Loại';

COMMENT ON COLUMN infrastructure.utilities.diameter_mm IS 'Diameter / Đường kính [mm]';

COMMENT ON COLUMN infrastructure.utilities.capacity_m3s IS 'Capacity / Công suất [m³/s]';

COMMENT ON COLUMN infrastructure.utilities.name IS 'Name / Tên';

COMMENT ON COLUMN infrastructure.utilities.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN infrastructure.utilities.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN infrastructure.utilities.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE environment.water_bodies (
    water_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT,
    width_m FLOAT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (water_id),
    CONSTRAINT water_bodies_type_allowed CHECK (type IN ('river', 'canal', 'lake', 'pond', 'reservoir', 'wetland'))
);

CREATE INDEX idx_water_bodies_geom ON environment.water_bodies USING gist (geom);

COMMENT ON TABLE environment.water_bodies IS 'Water bodies (rivers, canals, lakes) / Sông, kênh, rạch, hồ';

COMMENT ON COLUMN environment.water_bodies.water_id IS 'Water body id / Mã mặt nước';

COMMENT ON COLUMN environment.water_bodies.type IS 'Type / Loại';

COMMENT ON COLUMN environment.water_bodies.name IS 'Name / Tên';

COMMENT ON COLUMN environment.water_bodies.width_m IS 'Width / Bề rộng [m]';

COMMENT ON COLUMN environment.water_bodies.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN environment.water_bodies.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN environment.water_bodies.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE environment.green_spaces (
    green_id TEXT NOT NULL,
    type TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    name TEXT,
    area_m2 FLOAT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (green_id),
    CONSTRAINT green_spaces_type_allowed CHECK (type IN ('park', 'garden', 'square', 'playground', 'sports', 'cemetery', 'orchard', 'other'))
);

CREATE INDEX idx_green_spaces_geom ON environment.green_spaces USING gist (geom);

COMMENT ON TABLE environment.green_spaces IS 'Green spaces / Không gian xanh';

COMMENT ON COLUMN environment.green_spaces.green_id IS 'Green space id / Mã mảng xanh';

COMMENT ON COLUMN environment.green_spaces.type IS 'Type / Loại';

COMMENT ON COLUMN environment.green_spaces.public IS 'Public / Công cộng';

COMMENT ON COLUMN environment.green_spaces.name IS 'Name / Tên';

COMMENT ON COLUMN environment.green_spaces.area_m2 IS 'Area / Diện tích [m²]';

COMMENT ON COLUMN environment.green_spaces.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN environment.green_spaces.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN environment.green_spaces.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE environment.flood_zones (
    zone_id TEXT NOT NULL,
    hazard TEXT NOT NULL,
    water_level_m FLOAT,
    return_period_years BIGINT,
    source_model TEXT NOT NULL,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (zone_id),
    CONSTRAINT flood_zones_hazard_allowed CHECK (hazard IN ('low', 'medium', 'high', 'very_high'))
);

CREATE INDEX idx_flood_zones_geom ON environment.flood_zones USING gist (geom);

COMMENT ON TABLE environment.flood_zones IS 'Flood hazard zones / Vùng nguy cơ ngập';

COMMENT ON COLUMN environment.flood_zones.zone_id IS 'Zone id / Mã vùng';

COMMENT ON COLUMN environment.flood_zones.hazard IS 'Hazard level / Mức nguy cơ';

COMMENT ON COLUMN environment.flood_zones.water_level_m IS 'Water level / Mực nước [m]';

COMMENT ON COLUMN environment.flood_zones.return_period_years IS 'Return period / Chu kỳ lặp lại [years]';

COMMENT ON COLUMN environment.flood_zones.source_model IS 'Source or model / Nguồn/mô hình';

COMMENT ON COLUMN environment.flood_zones.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN environment.flood_zones.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN environment.flood_zones.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE TABLE catalog.rasters (
    raster_id BIGINT GENERATED BY DEFAULT AS IDENTITY,
    layer TEXT NOT NULL,
    year INTEGER,
    path TEXT NOT NULL,
    crs TEXT NOT NULL,
    resolution_m FLOAT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bbox FLOAT[] NOT NULL,
    checksum TEXT NOT NULL,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (raster_id),
    CONSTRAINT rasters_layer_year_key UNIQUE NULLS NOT DISTINCT (layer, year)
);

COMMENT ON TABLE catalog.rasters IS 'Raster layers stored as Cloud-Optimized GeoTIFFs in the data folder.';

COMMENT ON COLUMN catalog.rasters.layer IS 'qualified raster layer name';

COMMENT ON COLUMN catalog.rasters.year IS 'for time series (built_up, land_cover)';

COMMENT ON COLUMN catalog.rasters.path IS 'COG path relative to the data folder';

COMMENT ON COLUMN catalog.rasters.bbox IS 'minx, miny, maxx, maxy in CRS84';

COMMENT ON COLUMN catalog.rasters.checksum IS 'sha256 of the COG';
