-- The destinations of one point layer in the city's metric CRS: name and coordinates.
SELECT coalesce(t.name, ''), ST_X(p.g), ST_Y(p.g), t.synthetic
FROM {table} AS t, LATERAL (SELECT ST_Transform(ST_PointOnSurface(t.geom), %(srid)s) AS g) AS p
WHERE t.geom IS NOT NULL
