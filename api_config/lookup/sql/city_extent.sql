-- The extent (lon/lat) of the administrative units: the area a look-up may ask about.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM {admin}) AS x
