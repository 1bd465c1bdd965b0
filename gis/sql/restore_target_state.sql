-- What of a backup's schemas and tables the target database already holds.
SELECT array(SELECT nspname::text FROM pg_namespace WHERE nspname = ANY(%(schemas)s) ORDER BY 1) AS schemas,
       to_regclass('public.alembic_version') IS NOT NULL AS has_revisions
