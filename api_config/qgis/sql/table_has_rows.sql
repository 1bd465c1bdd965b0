-- Whether a table holds at least one row; {table} is a composed identifier.
SELECT EXISTS (SELECT 1 FROM {table})
