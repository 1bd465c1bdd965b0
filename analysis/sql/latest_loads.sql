-- The latest load of each requested layer (qualified names), i.e. the data version in use.
SELECT DISTINCT ON (layer) layer, load_id, layer_version
FROM catalog.load_provenance
WHERE layer = ANY(%(layers)s)
ORDER BY layer, load_id DESC
