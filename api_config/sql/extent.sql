-- Feature count and bounding box (minx, miny, maxx, maxy) of a published table, in CRS84.
SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT count(*) AS n, ST_Extent(geom) AS e FROM {table}) AS s
