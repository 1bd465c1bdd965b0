UPDATE catalog.load_provenance
SET features_written = %(written)s, content_checksum = %(content_checksum)s
WHERE load_id = %(load_id)s
