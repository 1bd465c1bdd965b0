-- The latest run of an indicator, and whether its results are still in the results table.
SELECT run_id, fingerprint, rows
FROM analysis.indicator_runs
WHERE indicator_id = %(indicator_id)s
ORDER BY run_id DESC
LIMIT 1
