-- The largest change a scenario's evaluation stored for one indicator at ward level (NULL: none yet).
SELECT max(abs(change))
FROM scenario.scenario_results
WHERE scenario = %(scenario)s AND indicator_id = %(indicator)s AND level = 'ward'
