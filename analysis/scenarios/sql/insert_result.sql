INSERT INTO scenario.results
    (scenario_id, indicator_id, result_id, level, unit_id, vintage, name_vi, name_en, value_column,
     before, after, change, "values", method, synthetic, notice_vi, notice_en, geom)
VALUES (%(scenario_id)s, %(indicator_id)s, %(result_id)s, %(level)s, %(unit_id)s, %(vintage)s,
        %(name_vi)s, %(name_en)s, %(value_column)s, %(before)s, %(after)s, %(change)s, %(values)s,
        %(method)s, %(synthetic)s, %(notice_vi)s, %(notice_en)s, ST_Multi(ST_SetSRID(ST_GeomFromWKB(%(wkb)s), 4326)))
