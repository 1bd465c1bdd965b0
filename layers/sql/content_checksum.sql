-- Checksum of a layer's content (attributes and geometry, not load ids), optionally within a scope.
-- Order-independent (a sum of 64-bit per-row hashes), so it needs no sort and no md5: cheap on a
-- million rows.  geom::text is the geometry's hex EWKB.
-- the table part, the columns part and the where part are composed with psycopg2.sql identifiers.
SELECT count(*) AS n,
       md5(count(*)::text || ':' || coalesce(sum(hashtextextended(row_text, 0)), 0)::text) AS checksum
FROM (
    SELECT concat_ws('|', {columns}, geom::text) AS row_text
    FROM {table}
    WHERE {where}
) AS t
