-- What lies under one point (lon/lat, SRID 4326): the wards of every boundary vintage, the current and
-- planned land-use zones, and every modelled flood water level with whether the point is in it.
-- The table parts are composed identifiers from the layer catalog; lon and lat are bind parameters.
WITH pt AS (
    SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS g
)
SELECT
    (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'unit_id', a.unit_id, 'vintage', a.vintage, 'code', a.code, 'name_vi', a.name_vi,
                'name_en', a.name_en, 'level', a.level, 'population', a.population,
                'population_year', a.population_year, 'synthetic', a.synthetic)
            ORDER BY a.vintage DESC), '[]'::jsonb)
     FROM {admin} AS a, pt WHERE ST_Covers(a.geom, pt.g)) AS wards,
    (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'zone_id', l.zone_id, 'code', l.code, 'status', l.status, 'plan_year', l.plan_year,
                'name', l.name, 'synthetic', l.synthetic)
            ORDER BY l.status, l.plan_year), '[]'::jsonb)
     FROM {land_use} AS l, pt WHERE ST_Covers(l.geom, pt.g)) AS land_use,
    (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'water_level_m', z.water_level_m, 'return_period_years', z.return_period_years,
                'source_model', z.source_model, 'hazard', z.hazard, 'flooded', z.hazard IS NOT NULL,
                'synthetic', z.synthetic)
            ORDER BY z.water_level_m NULLS LAST, z.return_period_years NULLS LAST), '[]'::jsonb)
     FROM (
        SELECT f.water_level_m, f.return_period_years, f.source_model, bool_or(f.synthetic) AS synthetic,
               (array_agg(f.hazard ORDER BY array_position(
                    ARRAY['very_high', 'high', 'medium', 'low']::text[], f.hazard))
                    FILTER (WHERE ST_Covers(f.geom, pt.g)))[1] AS hazard
        FROM {flood} AS f, pt
        GROUP BY f.water_level_m, f.return_period_years, f.source_model
     ) AS z) AS flood
