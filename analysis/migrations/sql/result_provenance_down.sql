-- Undo revision 0009_result_provenance (the level views reading these columns go with them).
ALTER TABLE analysis.indicator_runs DROP COLUMN synthetic, DROP COLUMN synthetic_inputs;
ALTER TABLE analysis.population_density DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.sdg_11_3_1 DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.transit_access DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.health_access DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.health_beds_2sfca DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.education_access DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.open_space_share DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.open_space_access DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.green_area DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.street_network DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.building_form DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.land_use_mix DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.flood_exposure DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
ALTER TABLE analysis.walkability DROP COLUMN synthetic CASCADE, DROP COLUMN synthetic_inputs CASCADE;
