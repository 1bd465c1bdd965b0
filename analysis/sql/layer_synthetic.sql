-- Whether any feature of one layer in one study area is generated data.  The table part is a
-- composed identifier.
SELECT EXISTS (SELECT 1 FROM {table} AS t WHERE t.synthetic AND t.area = %(area)s)
