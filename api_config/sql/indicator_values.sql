-- Current values of one indicator in one study area, wards and the city newest boundary vintage first; the table part
-- and the value part are composed identifiers.
SELECT level, unit_id, vintage, name_vi, name_en, {value} AS value, run_id, synthetic
FROM {table}
WHERE (%(level)s::text IS NULL OR level = %(level)s)
  AND (%(vintage)s::integer IS NULL OR vintage = %(vintage)s)
  AND area = %(area)s
ORDER BY CASE level WHEN 'city' THEN 0 WHEN 'ward' THEN 1 WHEN 'block' THEN 2 ELSE 3 END,
         vintage DESC NULLS LAST, unit_id
