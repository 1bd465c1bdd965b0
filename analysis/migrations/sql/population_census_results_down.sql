-- Revision 0010_population_census, downgrade of the results side.
ALTER TABLE analysis.land_use_mix DROP COLUMN land_use_status;

ALTER TABLE analysis.sdg_11_3_1
    DROP COLUMN census_year_start,
    DROP COLUMN census_year_end,
    DROP COLUMN population_t1,
    DROP COLUMN pairing,
    DROP COLUMN reason_vi,
    DROP COLUMN reason_en;

COMMENT ON COLUMN analysis.sdg_11_3_1.population IS 'Current population / Dân số hiện tại [persons]';
