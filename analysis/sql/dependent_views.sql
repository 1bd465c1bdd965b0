-- Views in the analysis schema reading a table (its level views among them).
SELECT DISTINCT v.relname
FROM pg_depend AS d
JOIN pg_rewrite AS r ON r.oid = d.objid
JOIN pg_class AS v ON v.oid = r.ev_class
JOIN pg_namespace AS n ON n.oid = v.relnamespace
WHERE d.classid = 'pg_rewrite'::regclass
  AND d.refobjid = to_regclass(%(table)s)
  AND v.relkind = 'v'
  AND n.nspname = 'analysis'
  AND v.oid <> d.refobjid
