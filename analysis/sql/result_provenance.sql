-- The run whose rows an indicator's results table holds, and whether it read generated data
-- (the table part is a composed identifier).
SELECT r.run_id, r.synthetic, r.synthetic_inputs
FROM analysis.indicator_runs AS r
WHERE r.run_id = (SELECT t.run_id FROM {table} AS t LIMIT 1)
