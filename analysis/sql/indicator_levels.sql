-- The levels and vintages an indicator table holds, with their row counts.
SELECT level, vintage, count(*) AS n
FROM {table}
GROUP BY level, vintage
ORDER BY level, vintage
