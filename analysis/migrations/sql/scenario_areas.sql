-- Revision 0019_scenario_areas: a scenario belongs to one study area (frozen on 2026-12-02; never
-- regenerated).  The scenarios of before are Mỹ Tho's.  Results are keyed through their scenario;
-- the views gain the scenario's area as their last column.

ALTER TABLE scenario.scenarios
    ADD COLUMN area text NOT NULL DEFAULT 'mytho'
        REFERENCES catalog.study_areas (area) ON UPDATE CASCADE ON DELETE RESTRICT;
CREATE INDEX scenarios_area_idx ON scenario.scenarios (area);
COMMENT ON COLUMN scenario.scenarios.area IS
    'Vùng nghiên cứu của kịch bản / Study area whose baseline the scenario edits';

CREATE OR REPLACE VIEW scenario.published_results AS
SELECT s.name || ':' || r.indicator_id || ':' || r.result_id AS id,
       s.name AS scenario, s.title_vi AS scenario_title_vi, s.title_en AS scenario_title_en,
       r.indicator_id, r.level, r.unit_id, r.vintage, r.name_vi, r.name_en, r.value_column,
       r.before, r.after, r.change, r.method, r.synthetic, r.notice_vi, r.notice_en, r.evaluated_at, r.geom,
       s.area
FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id)
WHERE s.published;

CREATE OR REPLACE VIEW scenario.published_scenarios AS
SELECT s.name, s.title_vi, s.title_en, s.description_vi, s.description_en, s.author,
       s.created_at, s.updated_at, p.name AS parent, s.evaluated_at, s.area
FROM scenario.scenarios s LEFT JOIN scenario.scenarios p ON p.scenario_id = s.parent_id
WHERE s.published;

CREATE OR REPLACE VIEW scenario.scenario_results AS
SELECT s.name || ':' || r.indicator_id || ':' || r.result_id AS id,
       s.name AS scenario, s.title_vi AS scenario_title_vi, s.title_en AS scenario_title_en,
       r.indicator_id, r.level, r.unit_id, r.vintage, r.name_vi, r.name_en, r.value_column,
       r.before, r.after, r.change, r.method, r.synthetic, r.notice_vi, r.notice_en, r.evaluated_at,
       s.published, r.geom, s.area
FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id);
