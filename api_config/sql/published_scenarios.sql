-- Published scenarios (the reader may read this view only) with their evaluated indicators.
SELECT s.name, s.title_vi, s.title_en, s.description_vi, s.description_en, s.parent,
       s.evaluated_at, s.updated_at,
       coalesce(array_agg(DISTINCT r.indicator_id) FILTER (WHERE r.level = 'ward'), ARRAY[]::text[]) AS indicators,
       coalesce(array_agg(DISTINCT r.vintage) FILTER (WHERE r.level = 'ward'), ARRAY[]::integer[]) AS vintages,
       bool_or(coalesce(r.synthetic, false)) AS synthetic, s.area
FROM scenario.published_scenarios s
LEFT JOIN scenario.published_results r ON r.scenario = s.name
GROUP BY s.name, s.title_vi, s.title_en, s.description_vi, s.description_en, s.parent,
         s.evaluated_at, s.updated_at, s.area
ORDER BY s.name
