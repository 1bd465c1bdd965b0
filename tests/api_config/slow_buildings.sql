-- Synthetic building footprints of 257 vertices each on a grid over Mỹ Tho (tests of the request
-- time budget: spatial predicates on them are slow).
TRUNCATE land.buildings;
INSERT INTO land.buildings (building_id, use, floors, height_m, unit_id, residents, year_built,
                            synthetic, source, geom)
SELECT 'b' || lpad(i::text, 7, '0'), 'residential', 1, 3.5, NULL, 1, 2000, true,
       'tests: slow footprints (SYNTHETIC)',
       ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(106.3 + mod(i, 200) * 0.0005,
                                                  10.3 + div(i, 200) * 0.0005), 4326), 0.0002, 64))
FROM generate_series(0, %(rows)s - 1) AS i;
ANALYZE land.buildings;
