-- The features of one layer in one study area whose bounding box meets a partition's extent (given
-- in the analysis CRS), in the order of a sequential scan (ctid): the order the serial run reads
-- them in, which the recipes' "first unit wins" rules depend on.  The area filter matters: study
-- areas may overlap on the ground (Mỹ Tho lies inside the province).  The table part is a composed
-- identifier.
SELECT *
FROM {table} AS t
WHERE t.area = %(area)s
    AND t.geom && ST_Transform(
        ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, %(srid)s), 4326
    )
ORDER BY t.ctid
