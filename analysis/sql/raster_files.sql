-- The COG files of the requested raster layers (qualified names) of one study area, oldest year first.
SELECT layer, year, path, crs, checksum, load_id, synthetic
FROM catalog.rasters
WHERE layer = ANY(%(layers)s) AND area = %(area)s
ORDER BY layer, year NULLS FIRST
