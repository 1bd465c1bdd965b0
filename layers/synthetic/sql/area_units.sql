-- The 2019 admin units of one study area with their census population and households, and their
-- district (what the generator is calibrated to, district by district).
SELECT unit_id, name_vi, level, population, households, parent_name_vi, geom
FROM land.admin_units
WHERE area = %(area)s AND vintage = 2019
ORDER BY unit_id
