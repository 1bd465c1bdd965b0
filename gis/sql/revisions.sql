-- Alembic revisions recorded in the database.
SELECT version_num FROM public.alembic_version ORDER BY 1
