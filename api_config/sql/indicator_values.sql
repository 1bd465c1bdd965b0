-- Current values of one indicator; the table part and the value part are composed identifiers.
SELECT level, unit_id, vintage, name_vi, name_en, {value} AS value, run_id
FROM {table}
WHERE %(level)s::text IS NULL OR level = %(level)s
ORDER BY level, vintage, unit_id
