-- The codes of the study areas (what the features collections' area parameter accepts).
SELECT area FROM catalog.study_areas ORDER BY area
