-- The flood model's grid cell under one point (found by its id, the primary key): each modelled water
-- level with the share of the cell's population and buildings that the connected bathtub model floods.
-- The table is a composed identifier.
SELECT level_h1_m, population_h1_pct, buildings_h1, level_h2_m, population_h2_pct, buildings_h2,
       level_h3_m, population_h3_pct, buildings_h3, buildings, unit_id
FROM {table}
WHERE result_id = %(result_id)s
