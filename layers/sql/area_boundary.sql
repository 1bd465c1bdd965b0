-- An area's outline: the union of its administrative units (of one vintage when given).
UPDATE catalog.study_areas
SET boundary = (
    SELECT ST_Multi(ST_CollectionExtract(ST_Union(geom), 3))
    FROM land.admin_units
    WHERE area = %(area)s AND (%(vintage)s::integer IS NULL OR vintage = %(vintage)s::integer)
)
WHERE area = %(area)s
