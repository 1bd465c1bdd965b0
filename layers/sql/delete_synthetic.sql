-- Real data replaces generated data: remove the synthetic rows of a layer in one study area (same
-- transaction).
DELETE FROM {table} WHERE synthetic AND area = %(area)s
