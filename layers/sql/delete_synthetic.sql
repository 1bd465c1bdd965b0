-- Real data replaces generated data: remove the synthetic rows of a layer (same transaction).
DELETE FROM {table} WHERE synthetic
