-- Every raster file in the catalog, by layer and year.
SELECT raster_id, layer, year, path, crs, resolution_m, width, height, bbox, checksum, synthetic,
       source, load_id
FROM catalog.rasters
ORDER BY layer, year NULLS FIRST
