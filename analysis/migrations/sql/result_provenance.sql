-- Which inputs of an indicator's results were generated (synthetic) data (revision 0009_result_provenance).
-- NULL in a row or a run means: computed before this revision, not recorded (the runner recomputes it).
ALTER TABLE analysis.indicator_runs
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.indicator_runs.synthetic IS
    'Whether any input held synthetic (generated) data / Có đầu vào là dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.indicator_runs.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.population_density
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.population_density.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.population_density.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.sdg_11_3_1
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.sdg_11_3_1.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.sdg_11_3_1.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.transit_access
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.transit_access.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.transit_access.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.health_access
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.health_access.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.health_access.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.health_beds_2sfca
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.health_beds_2sfca.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.health_beds_2sfca.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.education_access
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.education_access.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.education_access.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.open_space_share
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.open_space_share.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.open_space_share.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.open_space_access
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.open_space_access.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.open_space_access.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.green_area
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.green_area.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.green_area.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.street_network
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.street_network.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.street_network.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.building_form
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.building_form.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.building_form.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.land_use_mix
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.land_use_mix.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.land_use_mix.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.flood_exposure
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.flood_exposure.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.flood_exposure.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';

ALTER TABLE analysis.walkability
    ADD COLUMN synthetic boolean,
    ADD COLUMN synthetic_inputs text[];
COMMENT ON COLUMN analysis.walkability.synthetic IS
    'Computed from synthetic (generated) data / Tính từ dữ liệu tổng hợp';
COMMENT ON COLUMN analysis.walkability.synthetic_inputs IS
    'Input layers holding synthetic data / Các lớp đầu vào có dữ liệu tổng hợp';
