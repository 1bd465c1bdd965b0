-- Revision 0014_study_areas: several study areas side by side (frozen on 2026-12-02; never regenerated).
-- catalog.study_areas lists them; every layer table, results table, indicator run, load and raster row
-- says which area it belongs to (default 'mytho': the rows of before stay Mỹ Tho's). Feature ids stay
-- unique per table (the API's item URLs); results are keyed per (area, result_id); a raster file per
-- (area, layer, year).

CREATE TABLE catalog.study_areas (
    area text PRIMARY KEY CHECK (area ~ '^[a-z0-9_]+$' AND char_length(area) <= 63),
    name_vi text NOT NULL,
    name_en text NOT NULL,
    boundary geometry(MULTIPOLYGON,4326),
    source text,
    licence text,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE catalog.study_areas IS
    'Study areas held side by side (cities, districts, a province) / Các vùng nghiên cứu trong cơ sở dữ liệu';
COMMENT ON COLUMN catalog.study_areas.area IS 'Study area code, e.g. mytho / Mã vùng nghiên cứu';
COMMENT ON COLUMN catalog.study_areas.boundary IS 'Outline (EPSG:4326) / Ranh giới';

INSERT INTO catalog.study_areas (area, name_vi, name_en, source, licence)
VALUES ('mytho', 'Thành phố Mỹ Tho', 'Mỹ Tho city',
        'GSO census 2019; censusVN2009; vietnamese-provinces-database (data/mytho/SOURCES.md)', 'MIT; public statistics');
UPDATE catalog.study_areas
SET boundary = (SELECT ST_Multi(ST_Union(geom)) FROM land.admin_units WHERE vintage = 2019)
WHERE area = 'mytho';

ALTER TABLE land.admin_units
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX admin_units_area_idx ON land.admin_units (area);
COMMENT ON COLUMN land.admin_units.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE land.population_census
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX population_census_area_idx ON land.population_census (area);
COMMENT ON COLUMN land.population_census.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE land.land_use
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX land_use_area_idx ON land.land_use (area);
COMMENT ON COLUMN land.land_use.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE land.parcels
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX parcels_area_idx ON land.parcels (area);
COMMENT ON COLUMN land.parcels.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE land.buildings
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX buildings_area_idx ON land.buildings (area);
COMMENT ON COLUMN land.buildings.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.roads
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX roads_area_idx ON infrastructure.roads (area);
COMMENT ON COLUMN infrastructure.roads.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.transit_stops
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX transit_stops_area_idx ON infrastructure.transit_stops (area);
COMMENT ON COLUMN infrastructure.transit_stops.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.schools
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX schools_area_idx ON infrastructure.schools (area);
COMMENT ON COLUMN infrastructure.schools.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.health_facilities
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX health_facilities_area_idx ON infrastructure.health_facilities (area);
COMMENT ON COLUMN infrastructure.health_facilities.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.markets
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX markets_area_idx ON infrastructure.markets (area);
COMMENT ON COLUMN infrastructure.markets.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.public_facilities
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX public_facilities_area_idx ON infrastructure.public_facilities (area);
COMMENT ON COLUMN infrastructure.public_facilities.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE infrastructure.utilities
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX utilities_area_idx ON infrastructure.utilities (area);
COMMENT ON COLUMN infrastructure.utilities.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE environment.water_bodies
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX water_bodies_area_idx ON environment.water_bodies (area);
COMMENT ON COLUMN environment.water_bodies.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE environment.green_spaces
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX green_spaces_area_idx ON environment.green_spaces (area);
COMMENT ON COLUMN environment.green_spaces.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE environment.flood_zones
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
CREATE INDEX flood_zones_area_idx ON environment.flood_zones (area);
COMMENT ON COLUMN environment.flood_zones.area IS 'Study area / Vùng nghiên cứu';

-- The level views of the results tables (analysis.<table>_<level>[_<vintage>]) list their columns:
-- drop them before the tables change; the next `dothi indicators run` re-creates them with ``area``.
DO $$
DECLARE
    v record;
BEGIN
    FOR v IN
        SELECT DISTINCT c.oid::regclass AS name
        FROM pg_class AS c
        JOIN pg_rewrite AS r ON r.ev_class = c.oid
        JOIN pg_depend AS d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
        JOIN pg_class AS t ON t.oid = d.refobjid
        JOIN pg_namespace AS n ON n.oid = t.relnamespace
        WHERE c.relkind = 'v' AND c.oid <> t.oid AND n.nspname = 'analysis'
          AND t.relname IN ('population_density', 'sdg_11_3_1', 'transit_access', 'health_access', 'health_beds_2sfca', 'education_access', 'open_space_share', 'open_space_access', 'green_area', 'street_network', 'building_form', 'land_use_mix', 'flood_exposure', 'walkability')
    LOOP
        EXECUTE format('DROP VIEW IF EXISTS %s CASCADE', v.name);
    END LOOP;
END
$$;

ALTER TABLE analysis.population_density
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.population_density DROP CONSTRAINT population_density_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX population_density_area_idx ON analysis.population_density (area);
COMMENT ON COLUMN analysis.population_density.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.sdg_11_3_1
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.sdg_11_3_1 DROP CONSTRAINT sdg_11_3_1_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX sdg_11_3_1_area_idx ON analysis.sdg_11_3_1 (area);
COMMENT ON COLUMN analysis.sdg_11_3_1.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.transit_access
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.transit_access DROP CONSTRAINT transit_access_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX transit_access_area_idx ON analysis.transit_access (area);
COMMENT ON COLUMN analysis.transit_access.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.health_access
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.health_access DROP CONSTRAINT health_access_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX health_access_area_idx ON analysis.health_access (area);
COMMENT ON COLUMN analysis.health_access.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.health_beds_2sfca
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.health_beds_2sfca DROP CONSTRAINT health_beds_2sfca_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX health_beds_2sfca_area_idx ON analysis.health_beds_2sfca (area);
COMMENT ON COLUMN analysis.health_beds_2sfca.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.education_access
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.education_access DROP CONSTRAINT education_access_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX education_access_area_idx ON analysis.education_access (area);
COMMENT ON COLUMN analysis.education_access.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.open_space_share
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.open_space_share DROP CONSTRAINT open_space_share_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX open_space_share_area_idx ON analysis.open_space_share (area);
COMMENT ON COLUMN analysis.open_space_share.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.open_space_access
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.open_space_access DROP CONSTRAINT open_space_access_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX open_space_access_area_idx ON analysis.open_space_access (area);
COMMENT ON COLUMN analysis.open_space_access.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.green_area
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.green_area DROP CONSTRAINT green_area_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX green_area_area_idx ON analysis.green_area (area);
COMMENT ON COLUMN analysis.green_area.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.street_network
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.street_network DROP CONSTRAINT street_network_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX street_network_area_idx ON analysis.street_network (area);
COMMENT ON COLUMN analysis.street_network.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.building_form
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.building_form DROP CONSTRAINT building_form_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX building_form_area_idx ON analysis.building_form (area);
COMMENT ON COLUMN analysis.building_form.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.land_use_mix
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.land_use_mix DROP CONSTRAINT land_use_mix_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX land_use_mix_area_idx ON analysis.land_use_mix (area);
COMMENT ON COLUMN analysis.land_use_mix.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.flood_exposure
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.flood_exposure DROP CONSTRAINT flood_exposure_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX flood_exposure_area_idx ON analysis.flood_exposure (area);
COMMENT ON COLUMN analysis.flood_exposure.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.walkability
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
ALTER TABLE analysis.walkability DROP CONSTRAINT walkability_pkey, ADD PRIMARY KEY (area, result_id);
CREATE INDEX walkability_area_idx ON analysis.walkability (area);
COMMENT ON COLUMN analysis.walkability.area IS 'Study area / Vùng nghiên cứu';

ALTER TABLE analysis.indicator_runs
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
COMMENT ON COLUMN analysis.indicator_runs.area IS 'Study area / Vùng nghiên cứu';
CREATE INDEX indicator_runs_area_idx ON analysis.indicator_runs (area, indicator_id);

ALTER TABLE catalog.load_provenance
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
COMMENT ON COLUMN catalog.load_provenance.area IS 'Study area the load replaced rows of / Vùng nghiên cứu';
CREATE INDEX load_provenance_area_idx ON catalog.load_provenance (area, layer);

ALTER TABLE catalog.rasters
    ADD COLUMN area text DEFAULT 'mytho' NOT NULL;
COMMENT ON COLUMN catalog.rasters.area IS 'Study area / Vùng nghiên cứu';
ALTER TABLE catalog.rasters DROP CONSTRAINT rasters_layer_year_key;
ALTER TABLE catalog.rasters
    ADD CONSTRAINT rasters_area_layer_year_key UNIQUE NULLS NOT DISTINCT (area, layer, year);
