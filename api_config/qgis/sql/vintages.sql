-- Boundary vintages present in a table, newest first; the table part is a composed identifier.
SELECT DISTINCT vintage FROM {table} WHERE vintage IS NOT NULL ORDER BY vintage DESC
