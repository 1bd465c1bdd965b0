-- Estimated rows (pg_class.reltuples, -1 when never analysed) and size in bytes of a table.
SELECT c.reltuples::bigint, pg_relation_size(c.oid)
FROM pg_class AS c
WHERE c.oid = %(table)s::regclass
