-- The latest run of an indicator in one study area, and whether its results are still in the results
-- table (a run older than its synthetic flags is never current).
SELECT run_id, fingerprint, rows
FROM analysis.indicator_runs
WHERE indicator_id = %(indicator_id)s AND synthetic IS NOT NULL AND area = %(area)s
ORDER BY run_id DESC
LIMIT 1
