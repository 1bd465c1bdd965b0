-- One feature as GeoJSON, assembled in PostGIS.
SELECT json_build_object(
    'type', 'Feature', 'id', t.{id}, 'geometry', {geometry}, 'properties', {properties}
)
FROM {table} AS t
WHERE t.{id} = %(id)s
