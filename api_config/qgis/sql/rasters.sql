-- Raster files registered in the catalog (COGs under the data folder), newest year first.
SELECT layer, year, path FROM catalog.rasters ORDER BY layer, year DESC NULLS LAST
