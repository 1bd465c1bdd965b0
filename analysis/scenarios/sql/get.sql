SELECT s.scenario_id, s.name, s.title_vi, s.title_en, s.description_vi, s.description_en, s.author,
       s.created_at, s.updated_at, p.name AS parent, s.baseline_versions, s.published, s.evaluated_at,
       (SELECT count(*) FROM scenario.edits e WHERE e.scenario_id = s.scenario_id) AS edits, s.area
FROM scenario.scenarios s LEFT JOIN scenario.scenarios p ON p.scenario_id = s.parent_id
WHERE s.name = %(name)s
