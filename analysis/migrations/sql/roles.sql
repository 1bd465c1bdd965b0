-- Least-privilege roles (revision 0007_roles): what this revision does, described in full here.
-- Group roles are cluster-wide: created when missing (another database of the cluster may have
-- created them already, possibly at the same moment).
DO $$
DECLARE
    group_name text;
BEGIN
    FOREACH group_name IN ARRAY ARRAY['dothi_reader', 'dothi_analyst'] LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_name);
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            RAISE EXCEPTION USING
                ERRCODE = 'insufficient_privilege',
                MESSAGE = format(
                    'Vai trò %I chưa có và %I không được tạo vai trò. / '
                    'The group role %I does not exist and %I may not create roles.',
                    group_name, current_user, group_name, current_user),
                HINT = 'As an administrator run: CREATE ROLE dothi_reader NOLOGIN; '
                       'CREATE ROLE dothi_analyst NOLOGIN; GRANT dothi_reader TO dothi_analyst; '
                       'then run dothi db migrate again.';
        END IF;
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', group_name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
    IF NOT pg_has_role('dothi_analyst', 'dothi_reader', 'MEMBER') THEN
        GRANT dothi_reader TO dothi_analyst;
    END IF;
END
$$;

-- Nobody but the owner creates objects in the public schema (PostgreSQL 15's default; older
-- databases granted CREATE to everyone).
DO $$
BEGIN
    IF EXISTS (
        SELECT FROM pg_namespace n, aclexplode(n.nspacl) a
        WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'
    ) THEN
        IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        ELSE
            RAISE WARNING 'Everyone may create tables in schema public: run REVOKE CREATE ON SCHEMA public FROM PUBLIC as its owner.';
        END IF;
    END IF;
END
$$;

-- The reader: the published schemas, read only, now and for the tables the owner creates later.
GRANT USAGE ON SCHEMA land, infrastructure, environment, analysis, catalog TO dothi_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA land, infrastructure, environment, analysis, catalog TO dothi_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA land, infrastructure, environment, analysis, catalog
    GRANT SELECT ON TABLES TO dothi_reader;

-- Only the owner attaches change tracking to a table.
REVOKE EXECUTE ON FUNCTION catalog.track_changes(regclass) FROM PUBLIC;

-- A change by any role allowed to write a published table bumps its version (the trigger runs
-- with the owner's rights: nobody else needs to write catalog.data_versions).
ALTER FUNCTION catalog.bump_data_version() SECURITY DEFINER;
ALTER FUNCTION catalog.bump_data_version() SET search_path = pg_catalog, pg_temp;

-- pygeoapi's job table (pygeoapi 0.24's PostgreSQLManager with results in the table, plus the
-- process running each job): created here because the API's roles may not create tables.
CREATE TABLE IF NOT EXISTS public.jobs (
    identifier varchar NOT NULL PRIMARY KEY,
    type varchar NOT NULL DEFAULT 'process'::character varying,
    process_id varchar NOT NULL,
    created timestamp,
    started timestamp,
    finished timestamp,
    updated timestamp,
    status varchar NOT NULL,
    location varchar,
    mimetype varchar,
    message varchar,
    progress integer NOT NULL
);
ALTER TABLE public.jobs
    ADD COLUMN IF NOT EXISTS output bytea,
    ADD COLUMN IF NOT EXISTS pid integer,
    ADD COLUMN IF NOT EXISTS host text,
    ADD COLUMN IF NOT EXISTS boot_id text,
    ADD COLUMN IF NOT EXISTS proc_start bigint;

-- The analyst: the reader's rights, and the jobs (nothing published).
GRANT SELECT, INSERT, UPDATE, DELETE ON public.jobs TO dothi_analyst;
