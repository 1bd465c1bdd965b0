-- Every load of one layer, newest first.
SELECT load_id, layer_version, loaded_at, loaded_by, mode, scope, source_path, source_crs,
       features_read, features_repaired, features_rejected, features_written, synthetic,
       content_checksum, dothi_version
FROM catalog.load_provenance
WHERE layer = %(layer)s
ORDER BY load_id DESC
