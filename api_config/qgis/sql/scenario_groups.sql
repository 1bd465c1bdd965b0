-- The scenarios the QGIS project gets a group for: the named ones, or every scenario (oldest first).
SELECT name, title_vi, title_en, published, evaluated_at IS NOT NULL AS evaluated
FROM scenario.scenarios
WHERE %(names)s::text[] IS NULL OR name = ANY(%(names)s::text[])
ORDER BY created_at, name
