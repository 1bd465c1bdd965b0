-- Ward values of one indicator, and whether each row is of the newest boundary vintage; the table
-- part and the value part are composed identifiers.
SELECT {value}, vintage IS NOT DISTINCT FROM (SELECT max(vintage) FROM {table} WHERE level = 'ward') AS newest
FROM {table}
WHERE level = 'ward' AND {value} IS NOT NULL
