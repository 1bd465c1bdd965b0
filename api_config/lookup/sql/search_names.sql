-- Named places for the search box: wards (both vintages), streets (one row per name), schools, clinics
-- and markets, each with a point (lon/lat) to go to and, for areas and streets, a bounding box.
SELECT 'ward' AS kind, a.name_vi AS name, a.name_en AS name_en, a.vintage AS vintage,
       ST_X(ST_PointOnSurface(a.geom)), ST_Y(ST_PointOnSurface(a.geom)),
       ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom), a.synthetic
FROM {admin} AS a
UNION ALL
SELECT 'street', s.name, NULL, NULL, ST_X(s.p), ST_Y(s.p),
       ST_XMin(s.box), ST_YMin(s.box), ST_XMax(s.box), ST_YMax(s.box), s.synthetic
FROM (
    SELECT r.name, ST_Extent(r.geom)::geometry AS box, bool_or(r.synthetic) AS synthetic,
           ST_ClosestPoint(ST_Collect(r.geom), ST_SetSRID(ST_Centroid(ST_Extent(r.geom)::geometry), 4326)) AS p
    FROM {roads} AS r
    WHERE r.name IS NOT NULL AND r.name <> ''
    GROUP BY r.name
) AS s
UNION ALL
SELECT 'school', t.name, NULL, NULL, ST_X(t.geom), ST_Y(t.geom), NULL, NULL, NULL, NULL, t.synthetic
FROM {schools} AS t WHERE t.name IS NOT NULL
UNION ALL
SELECT 'clinic', t.name, NULL, NULL, ST_X(t.geom), ST_Y(t.geom), NULL, NULL, NULL, NULL, t.synthetic
FROM {clinics} AS t WHERE t.name IS NOT NULL
UNION ALL
SELECT 'market', t.name, NULL, NULL, ST_X(t.geom), ST_Y(t.geom), NULL, NULL, NULL, NULL, t.synthetic
FROM {markets} AS t WHERE t.name IS NOT NULL
