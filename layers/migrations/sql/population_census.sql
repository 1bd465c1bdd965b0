-- Revision 0010_population_census: the layer table land.population_census, written out from its
-- declaration (dothi db ddl) on 2026-12-02, plus a CHECK that no count is negative (the loader's
-- minimum, kept by the database for edits made elsewhere, e.g. in QGIS). Never regenerate it: a
-- later change is a new revision.

CREATE TABLE land.population_census (
    census_unit_id TEXT NOT NULL,
    code TEXT NOT NULL,
    vintage BIGINT NOT NULL,
    census_year BIGINT NOT NULL,
    name_vi TEXT NOT NULL,
    population BIGINT NOT NULL,
    synthetic BOOLEAN DEFAULT false NOT NULL,
    source TEXT,
    load_id BIGINT,
    geom geometry(MULTIPOLYGON,4326) NOT NULL,
    PRIMARY KEY (census_unit_id)
);

ALTER TABLE land.population_census
    ADD CONSTRAINT population_census_population_minimum CHECK (population >= 0);

CREATE INDEX idx_population_census_geom ON land.population_census USING gist (geom);

COMMENT ON TABLE land.population_census IS 'Census population time series by ward and commune / Dân số theo các kỳ Tổng điều tra (chuỗi thời gian theo phường, xã)';

COMMENT ON COLUMN land.population_census.census_unit_id IS 'Id (census year – unit code) / Mã (năm điều tra – mã đơn vị)';

COMMENT ON COLUMN land.population_census.code IS 'Administrative code / Mã hành chính';

COMMENT ON COLUMN land.population_census.vintage IS 'Boundary vintage / Năm ranh giới';

COMMENT ON COLUMN land.population_census.census_year IS 'Census year / Năm điều tra';

COMMENT ON COLUMN land.population_census.name_vi IS 'Name (Vietnamese) / Tên (tiếng Việt)';

COMMENT ON COLUMN land.population_census.population IS 'Population / Dân số [persons]';

COMMENT ON COLUMN land.population_census.synthetic IS 'Synthetic (generated) data / Dữ liệu tổng hợp (giả lập)';

COMMENT ON COLUMN land.population_census.source IS 'Data source / Nguồn dữ liệu';

COMMENT ON COLUMN land.population_census.load_id IS 'Load id (catalog.load_provenance) / Mã lần nạp';

CREATE INDEX population_census_code_idx ON land.population_census (vintage, code, census_year);

SELECT catalog.track_changes('land.population_census'::regclass);
