-- Public parks and squares as destinations: points every 50 m along their outline (one enters a park
-- at its edge, not at its centre).  Cemeteries and orchards are not parks.
SELECT coalesce(g.name, ''), ST_X(d.geom), ST_Y(d.geom), g.synthetic
FROM {green} AS g,
     LATERAL ST_DumpPoints(ST_Segmentize(ST_Boundary(ST_Transform(g.geom, %(srid)s)), 50)) AS d
WHERE g.public AND g.type NOT IN ('cemetery', 'orchard') AND g.geom IS NOT NULL
