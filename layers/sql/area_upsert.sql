-- Register a study area, or update its names and provenance.
INSERT INTO catalog.study_areas (area, name_vi, name_en, source, licence)
VALUES (%(area)s, %(name_vi)s, %(name_en)s, %(source)s, %(licence)s)
ON CONFLICT (area) DO UPDATE SET
    name_vi = EXCLUDED.name_vi,
    name_en = EXCLUDED.name_en,
    source = coalesce(EXCLUDED.source, catalog.study_areas.source),
    licence = coalesce(EXCLUDED.licence, catalog.study_areas.licence)
