-- Whether a table holds at least one row; the table part is a composed identifier.
SELECT EXISTS (SELECT 1 FROM {table})
