-- One indicator's value in the given wards (with the ward's rank among the wards of its vintage,
-- highest first) and in the whole city.  The table and value parts are composed identifiers.
WITH wards AS (
    SELECT unit_id, vintage, {value}::double precision AS value,
           rank() OVER (PARTITION BY vintage ORDER BY {value} DESC NULLS LAST) AS rank,
           count(*) OVER (PARTITION BY vintage) AS of
    FROM {table}
    WHERE level = 'ward'
)
SELECT 'ward' AS level, unit_id, vintage, value, rank, of FROM wards WHERE unit_id = ANY(%(units)s)
UNION ALL
SELECT level, unit_id, vintage, {value}::double precision, NULL, NULL FROM {table} WHERE level = 'city'
