-- The catalog row of one raster file of a study area (year NULL for layers that are not time series).
SELECT raster_id, layer, year, path, crs, resolution_m, width, height, bbox, checksum, synthetic,
       source, load_id, area
FROM catalog.rasters
WHERE layer = %(layer)s AND year IS NOT DISTINCT FROM %(year)s AND area = %(area)s
