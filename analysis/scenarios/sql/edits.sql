SELECT layer, op, feature_id, attributes, ST_AsBinary(geom) AS wkb
FROM scenario.edits WHERE scenario_id = %(scenario_id)s ORDER BY edit_id
