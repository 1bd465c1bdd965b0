-- Revision 0019_scenario_areas, downgrade: scenarios without an area (those of other areas are deleted).
DROP VIEW scenario.published_results;
DROP VIEW scenario.published_scenarios;
DROP VIEW scenario.scenario_results;

DELETE FROM scenario.scenarios WHERE area <> 'mytho';
ALTER TABLE scenario.scenarios DROP COLUMN area;

CREATE VIEW scenario.published_results AS
SELECT s.name || ':' || r.indicator_id || ':' || r.result_id AS id,
       s.name AS scenario, s.title_vi AS scenario_title_vi, s.title_en AS scenario_title_en,
       r.indicator_id, r.level, r.unit_id, r.vintage, r.name_vi, r.name_en, r.value_column,
       r.before, r.after, r.change, r.method, r.synthetic, r.notice_vi, r.notice_en, r.evaluated_at, r.geom
FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id)
WHERE s.published;
COMMENT ON VIEW scenario.published_results IS
    'Kết quả của các kịch bản đã công bố / Results of the published scenarios';

CREATE VIEW scenario.published_scenarios AS
SELECT s.name, s.title_vi, s.title_en, s.description_vi, s.description_en, s.author,
       s.created_at, s.updated_at, p.name AS parent, s.evaluated_at
FROM scenario.scenarios s LEFT JOIN scenario.scenarios p ON p.scenario_id = s.parent_id
WHERE s.published;

CREATE VIEW scenario.scenario_results AS
SELECT s.name || ':' || r.indicator_id || ':' || r.result_id AS id,
       s.name AS scenario, s.title_vi AS scenario_title_vi, s.title_en AS scenario_title_en,
       r.indicator_id, r.level, r.unit_id, r.vintage, r.name_vi, r.name_en, r.value_column,
       r.before, r.after, r.change, r.method, r.synthetic, r.notice_vi, r.notice_en, r.evaluated_at,
       s.published, r.geom
FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id);
COMMENT ON VIEW scenario.scenario_results IS
    'Kết quả đánh giá của mọi kịch bản (trước, sau, thay đổi) / Evaluated results of every scenario (before, after, change)';

GRANT SELECT ON scenario.published_results, scenario.published_scenarios TO dothi_reader;
GRANT SELECT ON scenario.scenario_results, scenario.published_results, scenario.published_scenarios
    TO dothi_planner;
GRANT SELECT ON scenario.scenario_results TO dothi_analyst;
