-- Every study area with the extent of its outline, or of its administrative units without one.
SELECT s.area, s.name_vi, s.name_en,
       ST_XMin(e.extent), ST_YMin(e.extent), ST_XMax(e.extent), ST_YMax(e.extent),
       s.source, s.licence
FROM catalog.study_areas AS s
CROSS JOIN LATERAL (
    SELECT coalesce(
        ST_Envelope(s.boundary),
        (SELECT ST_Extent(u.geom)::geometry FROM land.admin_units AS u WHERE u.area = s.area)
    ) AS extent
) AS e
ORDER BY s.area
