-- Undo revision 0007_roles in this database.  The cluster-wide group roles stay: other databases
-- of the cluster and the login roles (members) may use them.  The jobs table stays too (job
-- history is data; pygeoapi created the same table itself before this revision).
REVOKE ALL ON public.jobs FROM dothi_analyst;
ALTER FUNCTION catalog.bump_data_version() RESET search_path;
ALTER FUNCTION catalog.bump_data_version() SECURITY INVOKER;
GRANT EXECUTE ON FUNCTION catalog.track_changes(regclass) TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA land, infrastructure, environment, analysis, catalog
    REVOKE SELECT ON TABLES FROM dothi_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA land, infrastructure, environment, analysis, catalog FROM dothi_reader;
REVOKE USAGE ON SCHEMA land, infrastructure, environment, analysis, catalog FROM dothi_reader;
