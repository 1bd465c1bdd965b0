-- Columns of one table as PostgreSQL spells their types (geometry(MultiPolygon,4326), bigint, …).
SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null
FROM pg_attribute AS a
WHERE a.attrelid = to_regclass(:qualified_name)
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attnum
