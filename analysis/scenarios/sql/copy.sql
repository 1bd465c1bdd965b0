INSERT INTO scenario.edits (scenario_id, layer, op, feature_id, attributes, geom, author)
SELECT %(new_id)s, layer, op, feature_id, attributes, geom, author
FROM scenario.edits WHERE scenario_id = %(old_id)s
