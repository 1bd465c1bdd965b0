-- The change version of one published table (0 before its first tracked change); NULL when the table
-- has no change-tracking trigger (then its tiles are not cached).
SELECT CASE
           WHEN EXISTS (
               SELECT 1 FROM pg_trigger
               WHERE tgrelid = to_regclass(%(table)s) AND tgname = 'dothi_data_version'
           )
           THEN coalesce((SELECT version FROM catalog.data_versions WHERE table_name = %(table)s), 0)
       END
