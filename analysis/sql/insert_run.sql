INSERT INTO analysis.indicator_runs (
    indicator_id, parameters, inputs, fingerprint, analysis_crs, rows, started_at, dothi_version,
    synthetic, synthetic_inputs, area
) VALUES (
    %(indicator_id)s, %(parameters)s::jsonb, %(inputs)s::jsonb, %(fingerprint)s, %(analysis_crs)s,
    %(rows)s, %(started_at)s, %(dothi_version)s, %(synthetic)s, %(synthetic_inputs)s, %(area)s
)
RETURNING run_id
