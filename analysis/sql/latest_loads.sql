-- The latest load of each requested layer (qualified names) in one study area, i.e. the data version
-- in use there.
SELECT DISTINCT ON (layer) layer, load_id, layer_version
FROM catalog.load_provenance
WHERE layer = ANY(%(layers)s) AND area = %(area)s
ORDER BY layer, load_id DESC
