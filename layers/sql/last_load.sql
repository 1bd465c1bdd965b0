-- The latest load of a layer for a scope (NULL scope = the whole layer) within one study area.
SELECT load_id, source_checksum, content_checksum, mode
FROM catalog.load_provenance
WHERE layer = %(layer)s AND scope IS NOT DISTINCT FROM %(scope)s AND area = %(area)s
ORDER BY load_id DESC
LIMIT 1
