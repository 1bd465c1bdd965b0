-- The 2019 admin units of one study area with their census population and households (what the
-- generator is calibrated to).
SELECT unit_id, name_vi, level, population, households, geom
FROM land.admin_units
WHERE area = %(area)s AND vintage = 2019
ORDER BY unit_id
