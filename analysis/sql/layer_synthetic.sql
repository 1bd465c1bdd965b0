-- Whether any feature of one layer is generated data.  The table part is a composed identifier.
SELECT EXISTS (SELECT 1 FROM {table} AS t WHERE t.synthetic)
