-- Raster files recorded in the catalog (paths relative to the data folder), when the table exists.
SELECT path, checksum FROM catalog.rasters ORDER BY path
