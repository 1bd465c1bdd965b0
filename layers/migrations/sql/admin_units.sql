-- Revision 0002_land_admin_units: the tables exactly as this revision created them (frozen on 2026-12-01 from
-- the catalog of release v0.1.0; never regenerated). A later change is a new revision.

CREATE TABLE land.admin_units (
    unit_id TEXT NOT NULL,
    vintage BIGINT NOT NULL,
    code TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    level TEXT NOT NULL,
    parent_name_vi TEXT,
    population BIGINT,
    population_urban BIGINT,
    population_rural BIGINT,
    households BIGINT,
    population_year BIGINT,
    official_area_km2 FLOAT,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (unit_id),
    CONSTRAINT admin_units_level_allowed CHECK (level IN ('ward', 'commune', 'town', 'district', 'city', 'province'))
);

CREATE INDEX idx_admin_units_geom ON land.admin_units USING gist (geom);

COMMENT ON TABLE land.admin_units IS 'Administrative units (wards and communes) / Đơn vị hành chính (phường, xã)';

COMMENT ON COLUMN land.admin_units.unit_id IS 'Unit id (with vintage) / Mã đơn vị (kèm năm)';

COMMENT ON COLUMN land.admin_units.vintage IS 'Boundary vintage / Năm ranh giới';

COMMENT ON COLUMN land.admin_units.code IS 'Administrative code / Mã hành chính';

COMMENT ON COLUMN land.admin_units.name_vi IS 'Name (Vietnamese) / Tên (tiếng Việt)';

COMMENT ON COLUMN land.admin_units.name_en IS 'Name (English) / Tên (không dấu/tiếng Anh)';

COMMENT ON COLUMN land.admin_units.level IS 'Level / Cấp';

COMMENT ON COLUMN land.admin_units.parent_name_vi IS 'Parent unit / Đơn vị cấp trên';

COMMENT ON COLUMN land.admin_units.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN land.admin_units.population_urban IS 'Urban population / Dân số thành thị [persons]';

COMMENT ON COLUMN land.admin_units.population_rural IS 'Rural population / Dân số nông thôn [persons]';

COMMENT ON COLUMN land.admin_units.households IS 'Households / Số hộ [households]';

COMMENT ON COLUMN land.admin_units.population_year IS 'Population year / Năm dân số';

COMMENT ON COLUMN land.admin_units.official_area_km2 IS 'Official area / Diện tích chính thức [km²]';

COMMENT ON COLUMN land.admin_units.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN land.admin_units.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN land.admin_units.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE INDEX admin_units_vintage_idx ON land.admin_units (vintage);
