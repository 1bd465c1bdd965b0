-- One page of features as a GeoJSON array, assembled in PostGIS.
-- Deferred join: the page's ids are found first (from the indexes where possible), then only those
-- rows are read and serialised.  the where part, the order part, the geometry part, the properties part are composed SQL.
WITH page AS (
    SELECT t.{id} AS fid
    FROM {table} AS t
    WHERE {where}
    ORDER BY {order}
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT coalesce(
    json_agg(
        json_build_object(
            'type', 'Feature', 'id', t.{id}, 'geometry', {geometry}, 'properties', {properties}
        )
        ORDER BY {order}
    ),
    '[]'::json
)
FROM page JOIN {table} AS t ON t.{id} = page.fid
