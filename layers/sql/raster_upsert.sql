-- One row per raster file (area, layer, year); a new load of the same area, layer and year replaces
-- the row.
INSERT INTO catalog.rasters (
    layer, year, path, crs, resolution_m, width, height, bbox, checksum, synthetic, source, load_id, area
) VALUES (
    %(layer)s, %(year)s, %(path)s, %(crs)s, %(resolution_m)s, %(width)s, %(height)s, %(bbox)s,
    %(checksum)s, %(synthetic)s, %(source)s, %(load_id)s, %(area)s
)
ON CONFLICT ON CONSTRAINT rasters_area_layer_year_key DO UPDATE SET
    path = EXCLUDED.path,
    crs = EXCLUDED.crs,
    resolution_m = EXCLUDED.resolution_m,
    width = EXCLUDED.width,
    height = EXCLUDED.height,
    bbox = EXCLUDED.bbox,
    checksum = EXCLUDED.checksum,
    synthetic = EXCLUDED.synthetic,
    source = EXCLUDED.source,
    load_id = EXCLUDED.load_id
