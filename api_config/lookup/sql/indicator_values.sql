-- One indicator's value in the given wards (with the ward's rank among the wards of its vintage,
-- highest first) and in the whole city.  The table and value parts are composed identifiers; the
-- statements of all indicators are joined with UNION ALL and tagged with the indicator's position.
(WITH wards AS (
    SELECT unit_id, vintage, {value}::double precision AS value,
           rank() OVER (PARTITION BY vintage ORDER BY {value} DESC NULLS LAST) AS rank,
           count(*) OVER (PARTITION BY vintage) AS of
    FROM {table}
    WHERE level = 'ward'
)
SELECT {position}::integer AS position, 'ward' AS level, unit_id, vintage, value, rank, of
FROM wards WHERE unit_id = ANY(%(units)s)
UNION ALL
SELECT {position}::integer, level, unit_id, vintage, {value}::double precision, NULL, NULL
FROM {table} WHERE level = 'city')
