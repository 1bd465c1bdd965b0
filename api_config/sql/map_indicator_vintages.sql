-- Boundary vintages with ward-level results of one indicator (the table part is a composed identifier).
SELECT DISTINCT vintage FROM {table} WHERE level = 'ward' AND vintage IS NOT NULL ORDER BY vintage
