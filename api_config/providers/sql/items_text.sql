-- One page of features as the text of a GeoJSON features array (without its brackets) and the number
-- of features, assembled in PostGIS.  Same page and same features as items.sql, written as text by
-- concatenation: no json value is built, parsed or re-serialised, in the database or in Python.
-- Literal braces are doubled (the statement is a psycopg2 sql.SQL template).
WITH page AS (
    SELECT t.{id} AS fid
    FROM {table} AS t
    WHERE {where}
    ORDER BY {order}
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT count(*),
       coalesce(
           string_agg(
               '{{"type":"Feature","id":' || to_json(t.{id})::text
               || ',"geometry":' || coalesce({geometry}, 'null')
               || ',"properties":' || {properties} || '}}',
               ','
               ORDER BY {order}
           ),
           ''
       )
FROM page JOIN {table} AS t ON t.{id} = page.fid
