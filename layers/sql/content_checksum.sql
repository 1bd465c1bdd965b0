-- Checksum of a layer's content (attributes and geometry, not load ids), optionally within a scope.
-- Order-independent (a sum of per-row md5 prefixes), so it needs no sort: cheap on a million rows.
-- {table}, {columns} and {where} are composed with psycopg2.sql identifiers.
SELECT count(*) AS n,
       md5(count(*)::text || ':' || coalesce(sum(('x' || left(md5(row_text), 15))::bit(60)::bigint), 0)::text)
           AS checksum
FROM (
    SELECT concat_ws('|', {columns}, md5(ST_AsEWKB(geom))) AS row_text
    FROM {table}
    WHERE {where}
) AS t
