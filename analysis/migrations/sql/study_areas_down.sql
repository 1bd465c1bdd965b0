-- Revision 0014_study_areas, downgrade: back to one study area (the rows of other areas are deleted).
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

DELETE FROM land.admin_units WHERE area <> 'mytho';
ALTER TABLE land.admin_units DROP COLUMN area;
DELETE FROM land.population_census WHERE area <> 'mytho';
ALTER TABLE land.population_census DROP COLUMN area;
DELETE FROM land.land_use WHERE area <> 'mytho';
ALTER TABLE land.land_use DROP COLUMN area;
DELETE FROM land.parcels WHERE area <> 'mytho';
ALTER TABLE land.parcels DROP COLUMN area;
DELETE FROM land.buildings WHERE area <> 'mytho';
ALTER TABLE land.buildings DROP COLUMN area;
DELETE FROM infrastructure.roads WHERE area <> 'mytho';
ALTER TABLE infrastructure.roads DROP COLUMN area;
DELETE FROM infrastructure.transit_stops WHERE area <> 'mytho';
ALTER TABLE infrastructure.transit_stops DROP COLUMN area;
DELETE FROM infrastructure.schools WHERE area <> 'mytho';
ALTER TABLE infrastructure.schools DROP COLUMN area;
DELETE FROM infrastructure.health_facilities WHERE area <> 'mytho';
ALTER TABLE infrastructure.health_facilities DROP COLUMN area;
DELETE FROM infrastructure.markets WHERE area <> 'mytho';
ALTER TABLE infrastructure.markets DROP COLUMN area;
DELETE FROM infrastructure.public_facilities WHERE area <> 'mytho';
ALTER TABLE infrastructure.public_facilities DROP COLUMN area;
DELETE FROM infrastructure.utilities WHERE area <> 'mytho';
ALTER TABLE infrastructure.utilities DROP COLUMN area;
DELETE FROM environment.water_bodies WHERE area <> 'mytho';
ALTER TABLE environment.water_bodies DROP COLUMN area;
DELETE FROM environment.green_spaces WHERE area <> 'mytho';
ALTER TABLE environment.green_spaces DROP COLUMN area;
DELETE FROM environment.flood_zones WHERE area <> 'mytho';
ALTER TABLE environment.flood_zones DROP COLUMN area;
DELETE FROM analysis.population_density WHERE area <> 'mytho';
ALTER TABLE analysis.population_density DROP CONSTRAINT population_density_pkey, DROP COLUMN area;
ALTER TABLE analysis.population_density ADD PRIMARY KEY (result_id);
DELETE FROM analysis.sdg_11_3_1 WHERE area <> 'mytho';
ALTER TABLE analysis.sdg_11_3_1 DROP CONSTRAINT sdg_11_3_1_pkey, DROP COLUMN area;
ALTER TABLE analysis.sdg_11_3_1 ADD PRIMARY KEY (result_id);
DELETE FROM analysis.transit_access WHERE area <> 'mytho';
ALTER TABLE analysis.transit_access DROP CONSTRAINT transit_access_pkey, DROP COLUMN area;
ALTER TABLE analysis.transit_access ADD PRIMARY KEY (result_id);
DELETE FROM analysis.health_access WHERE area <> 'mytho';
ALTER TABLE analysis.health_access DROP CONSTRAINT health_access_pkey, DROP COLUMN area;
ALTER TABLE analysis.health_access ADD PRIMARY KEY (result_id);
DELETE FROM analysis.health_beds_2sfca WHERE area <> 'mytho';
ALTER TABLE analysis.health_beds_2sfca DROP CONSTRAINT health_beds_2sfca_pkey, DROP COLUMN area;
ALTER TABLE analysis.health_beds_2sfca ADD PRIMARY KEY (result_id);
DELETE FROM analysis.education_access WHERE area <> 'mytho';
ALTER TABLE analysis.education_access DROP CONSTRAINT education_access_pkey, DROP COLUMN area;
ALTER TABLE analysis.education_access ADD PRIMARY KEY (result_id);
DELETE FROM analysis.open_space_share WHERE area <> 'mytho';
ALTER TABLE analysis.open_space_share DROP CONSTRAINT open_space_share_pkey, DROP COLUMN area;
ALTER TABLE analysis.open_space_share ADD PRIMARY KEY (result_id);
DELETE FROM analysis.open_space_access WHERE area <> 'mytho';
ALTER TABLE analysis.open_space_access DROP CONSTRAINT open_space_access_pkey, DROP COLUMN area;
ALTER TABLE analysis.open_space_access ADD PRIMARY KEY (result_id);
DELETE FROM analysis.green_area WHERE area <> 'mytho';
ALTER TABLE analysis.green_area DROP CONSTRAINT green_area_pkey, DROP COLUMN area;
ALTER TABLE analysis.green_area ADD PRIMARY KEY (result_id);
DELETE FROM analysis.street_network WHERE area <> 'mytho';
ALTER TABLE analysis.street_network DROP CONSTRAINT street_network_pkey, DROP COLUMN area;
ALTER TABLE analysis.street_network ADD PRIMARY KEY (result_id);
DELETE FROM analysis.building_form WHERE area <> 'mytho';
ALTER TABLE analysis.building_form DROP CONSTRAINT building_form_pkey, DROP COLUMN area;
ALTER TABLE analysis.building_form ADD PRIMARY KEY (result_id);
DELETE FROM analysis.land_use_mix WHERE area <> 'mytho';
ALTER TABLE analysis.land_use_mix DROP CONSTRAINT land_use_mix_pkey, DROP COLUMN area;
ALTER TABLE analysis.land_use_mix ADD PRIMARY KEY (result_id);
DELETE FROM analysis.flood_exposure WHERE area <> 'mytho';
ALTER TABLE analysis.flood_exposure DROP CONSTRAINT flood_exposure_pkey, DROP COLUMN area;
ALTER TABLE analysis.flood_exposure ADD PRIMARY KEY (result_id);
DELETE FROM analysis.walkability WHERE area <> 'mytho';
ALTER TABLE analysis.walkability DROP CONSTRAINT walkability_pkey, DROP COLUMN area;
ALTER TABLE analysis.walkability ADD PRIMARY KEY (result_id);
DELETE FROM analysis.indicator_runs WHERE area <> 'mytho';
ALTER TABLE analysis.indicator_runs DROP COLUMN area;
DELETE FROM catalog.load_provenance WHERE area <> 'mytho';
ALTER TABLE catalog.load_provenance DROP COLUMN area;
DELETE FROM catalog.rasters WHERE area <> 'mytho';
ALTER TABLE catalog.rasters DROP CONSTRAINT rasters_area_layer_year_key, DROP COLUMN area;
ALTER TABLE catalog.rasters ADD CONSTRAINT rasters_layer_year_key UNIQUE NULLS NOT DISTINCT (layer, year);
DROP TABLE catalog.study_areas;
