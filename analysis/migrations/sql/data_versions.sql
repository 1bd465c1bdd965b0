-- Change tracking of the published tables (revision 0006_data_versions).
CREATE TABLE catalog.data_versions (
    table_name text PRIMARY KEY,
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE catalog.data_versions IS
    'Version of each published table, incremented in the transaction of every change (caches key by it) / '
    'Phiên bản dữ liệu của mỗi bảng được công bố';

CREATE FUNCTION catalog.bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog.data_versions AS v (table_name, version, changed_at)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 1, now())
    ON CONFLICT (table_name) DO UPDATE SET version = v.version + 1, changed_at = now();
    RETURN NULL;
END
$$;

CREATE FUNCTION catalog.track_changes(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TRIGGER dothi_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_data_version()', target);
END
$$;

SELECT catalog.track_changes(format('%I.%I', f_table_schema, f_table_name)::regclass)
FROM geometry_columns
WHERE f_table_schema IN ('land', 'infrastructure', 'environment', 'analysis')
GROUP BY f_table_schema, f_table_name;
