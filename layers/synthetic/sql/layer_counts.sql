-- Real and synthetic features of one layer table in one study area, and the sources of its
-- synthetic features.
-- the table part is composed with psycopg2.sql.Identifier.
SELECT count(*) FILTER (WHERE NOT synthetic) AS real,
       count(*) FILTER (WHERE synthetic) AS synthetic,
       coalesce(array_agg(DISTINCT source) FILTER (WHERE synthetic), ARRAY[]::text[]) AS synthetic_sources
FROM {table}
WHERE area = %(area)s
