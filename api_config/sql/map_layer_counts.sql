-- Features and synthetic features of one layer table ({table} is a composed identifier).
SELECT count(*), count(*) FILTER (WHERE synthetic) FROM {table}
