-- Every raster file in the catalog, by area, layer and year.
SELECT raster_id, layer, year, path, crs, resolution_m, width, height, bbox, checksum, synthetic,
       source, load_id, area
FROM catalog.rasters
ORDER BY area, layer, year NULLS FIRST
