-- Latest load of every layer ever loaded.
SELECT DISTINCT ON (layer) layer, loaded_at, source_path, layer_version, synthetic
FROM catalog.load_provenance
ORDER BY layer, load_id DESC
