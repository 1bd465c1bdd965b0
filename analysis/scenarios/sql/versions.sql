-- The baseline layer versions a scenario of the study area is drawn on (per area where the table has
-- an area column: revision 0020_area_versions).
SELECT key, value::bigint FROM jsonb_each_text(catalog.baseline_versions(%(area)s))
