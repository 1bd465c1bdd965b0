-- Envelope of the loaded administrative units (the study area), NULLs when there are none.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT ST_Extent(geom)::geometry AS e FROM land.admin_units) AS t
