-- The indexes of a table with the unique/primary-key constraints they back (for bulk loads), and
-- whether any foreign key references the table (then the indexes are left alone).
SELECT i.relname AS index_name,
       pg_get_indexdef(i.oid) AS index_def,
       c.conname AS constraint_name,
       pg_get_constraintdef(c.oid) AS constraint_def,
       EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = x.indrelid) AS referenced
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
LEFT JOIN pg_constraint AS c ON c.conindid = x.indexrelid AND c.contype IN ('p', 'u')
WHERE x.indrelid = %(table)s::regclass
ORDER BY i.relname
