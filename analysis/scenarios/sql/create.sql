INSERT INTO scenario.scenarios
    (name, title_vi, title_en, description_vi, description_en, author, parent_id, baseline_versions, area)
VALUES (%(name)s, %(title_vi)s, %(title_en)s, %(description_vi)s, %(description_en)s, %(author)s,
        (SELECT scenario_id FROM scenario.scenarios WHERE name = %(parent)s), %(versions)s, %(area)s)
RETURNING scenario_id
