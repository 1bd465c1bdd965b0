-- One level (and vintage) of an indicator's results as a view; every part is composed SQL.
CREATE VIEW {view} AS
SELECT {columns}, t.geom
FROM {table} AS t
WHERE {where}
