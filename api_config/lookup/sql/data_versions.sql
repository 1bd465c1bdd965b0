-- The change versions of the given tables (schema.table), summed: a change to any of them changes it.
SELECT coalesce(sum(version), 0) FROM catalog.data_versions WHERE table_name = ANY(%(tables)s)
