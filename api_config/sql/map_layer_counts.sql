-- Features and synthetic features of one layer table (the table part is a composed identifier).
SELECT count(*), count(*) FILTER (WHERE synthetic) FROM {table}
