-- One feature as the text of a GeoJSON Feature without its closing brace (the lean path writes the
-- links after it), assembled in PostGIS by concatenation as items_text.sql does for pages: the same
-- feature as item.sql, with no json value built, parsed or re-serialised.
-- Literal braces are doubled (the statement is a psycopg2 sql.SQL template).
SELECT '{{"type":"Feature","id":' || to_json(t.{id})::text
       || ',"geometry":' || coalesce({geometry}, 'null')
       || ',"properties":' || {properties}
FROM {table} AS t
WHERE t.{id} = %(id)s
