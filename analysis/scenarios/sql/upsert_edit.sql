INSERT INTO scenario.edits (scenario_id, layer, op, feature_id, attributes, geom, author)
VALUES (%(scenario_id)s, %(layer)s, %(op)s, %(feature_id)s, %(attributes)s,
        ST_SetSRID(ST_GeomFromWKB(%(wkb)s), 4326), %(author)s)
ON CONFLICT (scenario_id, layer, feature_id) DO UPDATE
SET op = EXCLUDED.op, attributes = EXCLUDED.attributes, geom = EXCLUDED.geom, author = EXCLUDED.author,
    created_at = now()
