-- Envelope of one study area: its outline, else its administrative units; NULLs when neither exists.
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (
    SELECT coalesce(
        (SELECT ST_Extent(boundary)::geometry FROM catalog.study_areas WHERE area = %(area)s),
        (SELECT ST_Extent(geom)::geometry FROM land.admin_units WHERE area = %(area)s)
    ) AS e
) AS t
