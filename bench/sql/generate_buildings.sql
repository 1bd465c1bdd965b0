-- 1,000,000 synthetic building footprints (11 m squares on a 1000 × 1000 grid over Mỹ Tho),
-- labelled synthetic = true.  Replaces the contents of land.buildings in the bench database.
TRUNCATE land.buildings;
INSERT INTO land.buildings (building_id, use, floors, height_m, unit_id, residents, year_built,
                            synthetic, source, geom)
SELECT 'b' || lpad(i::text, 7, '0'),
       (ARRAY['residential', 'mixed', 'commercial', 'industrial', 'public', 'religious', 'other'])[1 + i % 7],
       1 + i % 5, 3.5 * (1 + i % 5), NULL, (i % 9)::float, 1960 + i % 60,
       true, 'bench: generate_series (SYNTHETIC)',
       ST_Multi(ST_MakeEnvelope(106.28 + (i % 1000) * 0.00016, 10.30 + (i / 1000) * 0.00016,
                                106.28 + (i % 1000) * 0.00016 + 0.0001,
                                10.30 + (i / 1000) * 0.00016 + 0.0001, 4326))
FROM generate_series(0, 999999) AS i;
ANALYZE land.buildings;
