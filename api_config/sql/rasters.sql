-- Raster files (COGs) to publish as coverages, newest year first within a layer.
SELECT layer, year, path, bbox, synthetic
FROM catalog.rasters
ORDER BY layer, year DESC NULLS LAST
