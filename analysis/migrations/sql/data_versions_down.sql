-- Undo revision 0006_data_versions.
DROP FUNCTION catalog.bump_data_version() CASCADE;  -- and every dothi_data_version trigger
DROP FUNCTION catalog.track_changes(regclass);
DROP TABLE catalog.data_versions;
