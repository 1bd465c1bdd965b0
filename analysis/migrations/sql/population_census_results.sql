-- Revision 0010_population_census, results side: SDG 11.3.1 computed from the census time series
-- (land.population_census) with its years paired and a reason wherever the ratio is undefined;
-- land_use_mix says which land use (current or planned) it used. Frozen: a later change is a new
-- revision.

ALTER TABLE analysis.sdg_11_3_1
    ADD COLUMN census_year_start BIGINT,
    ADD COLUMN census_year_end BIGINT,
    ADD COLUMN population_t1 FLOAT,
    ADD COLUMN pairing TEXT,
    ADD COLUMN reason_vi TEXT,
    ADD COLUMN reason_en TEXT;

COMMENT ON COLUMN analysis.sdg_11_3_1.census_year_start IS 'Start census year / Năm điều tra đầu';

COMMENT ON COLUMN analysis.sdg_11_3_1.census_year_end IS 'End census year / Năm điều tra cuối';

COMMENT ON COLUMN analysis.sdg_11_3_1.population_t1 IS 'Population, start census / Dân số năm điều tra đầu [persons]';

COMMENT ON COLUMN analysis.sdg_11_3_1.population IS 'Population, end census (else current) / Dân số năm điều tra cuối (hoặc hiện tại) [persons]';

COMMENT ON COLUMN analysis.sdg_11_3_1.pairing IS 'Years paired (built-up ↔ census) / Ghép năm (đất xây dựng ↔ điều tra)';

COMMENT ON COLUMN analysis.sdg_11_3_1.reason_vi IS 'Why there is no value (Vietnamese) / Lý do không có giá trị';

COMMENT ON COLUMN analysis.sdg_11_3_1.reason_en IS 'Why there is no value (English) / Lý do không có giá trị (tiếng Anh)';

ALTER TABLE analysis.land_use_mix ADD COLUMN land_use_status TEXT;

COMMENT ON COLUMN analysis.land_use_mix.land_use_status IS 'Land use used: current or planned / Sử dụng đất đã dùng: hiện trạng hay quy hoạch';
