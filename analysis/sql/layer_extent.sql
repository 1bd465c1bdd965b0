-- Extent (EPSG:4326) of one layer's rows in one study area: minx, miny, maxx, maxy.  The table part
-- is a composed identifier.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT ST_Extent(t.geom)::geometry AS e FROM {table} AS t WHERE t.area = %(area)s) AS x
