-- The walkable street centre lines in the city's metric CRS (WKB), for the in-memory walking network.
SELECT ST_AsBinary(ST_Transform(geom, %(srid)s)) FROM {roads} WHERE walkable AND geom IS NOT NULL
