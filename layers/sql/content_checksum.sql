-- Checksum of a layer's content (attributes and geometry, not load ids), optionally within a scope.
-- {table}, {columns}, {id} and {where} are composed with psycopg2.sql identifiers.
SELECT count(*) AS n,
       coalesce(md5(string_agg(md5(row_text), '' ORDER BY row_id)), md5('')) AS checksum
FROM (
    SELECT {id}::text AS row_id,
           concat_ws('|', {columns}, encode(ST_AsEWKB(geom), 'hex')) AS row_text
    FROM {table}
    WHERE {where}
) AS t
