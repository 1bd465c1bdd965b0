-- CRS84 bounding box (minx, miny, maxx, maxy) of a table; the table part is a composed identifier.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM {table}) AS s
