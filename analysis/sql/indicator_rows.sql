-- Result rows of one indicator table, optionally of one level and one vintage (dothi export).
SELECT *
FROM {table}
WHERE (CAST(:level AS text) IS NULL OR level = CAST(:level AS text))
  AND (CAST(:vintage AS integer) IS NULL OR vintage = CAST(:vintage AS integer))
ORDER BY level, vintage, unit_id
