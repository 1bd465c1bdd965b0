UPDATE scenario.scenarios SET updated_at = now(), baseline_versions = %(versions)s
WHERE scenario_id = %(scenario_id)s
