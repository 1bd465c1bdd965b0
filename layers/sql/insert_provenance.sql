-- One provenance row per successful load; layer_version counts loads of the layer.
INSERT INTO catalog.load_provenance (
    layer, layer_version, source_path, source_checksum, source_crs, mode, scope,
    features_read, features_written, features_repaired, features_rejected,
    licence, attribution, synthetic, details, dothi_version, area
)
SELECT
    %(layer)s,
    coalesce(max(layer_version), 0) + 1,
    %(source_path)s, %(source_checksum)s, %(source_crs)s, %(mode)s, %(scope)s,
    %(features_read)s, 0, %(features_repaired)s, %(features_rejected)s,
    %(licence)s, %(attribution)s, %(synthetic)s, %(details)s::jsonb, %(dothi_version)s,
    %(area)s
FROM catalog.load_provenance
WHERE layer = %(layer)s
RETURNING load_id, layer_version
