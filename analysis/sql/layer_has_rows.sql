-- Whether one layer has any feature in one study area.  The table part is a composed identifier.
SELECT EXISTS (SELECT 1 FROM {table} AS t WHERE t.area = %(area)s)
