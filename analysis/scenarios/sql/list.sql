SELECT s.name, s.area, s.title_vi, s.title_en, s.author, s.updated_at, p.name AS parent, s.published,
       (SELECT count(*) FROM scenario.edits e WHERE e.scenario_id = s.scenario_id) AS edits
FROM scenario.scenarios s LEFT JOIN scenario.scenarios p ON p.scenario_id = s.parent_id
ORDER BY s.name
