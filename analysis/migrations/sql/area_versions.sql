-- Revision 0020_area_versions: change versions per study area (frozen on 2026-12-02; never
-- regenerated).  catalog.data_versions counts the changes of a whole table; a scenario drawn on one
-- area must not read "baseline changed" because another area was loaded into the same tables.
-- * catalog.area_data_versions: per (table, area), incremented in the transaction of every change
--   that touches rows of that area (statement triggers with transition tables: one bump per area
--   per statement); TRUNCATE bumps every area of the table;
-- * catalog.track_changes attaches these triggers too to a table with an area column (every
--   layer table at this revision; tables added later get them the same way);
-- * catalog.baseline_versions(area): the versions a scenario of that area is drawn on (per area for
--   tables with an area column, the whole table's otherwise; an area with no rows in a table has
--   no entry for it);
-- * the scenarios of before keep "changed" where their table changed since they were drawn (-1),
--   the area's version where it did not;
-- * scenario.write_edit_view (QGIS edits) records the scenario's area versions.

CREATE TABLE catalog.area_data_versions (
    table_name text NOT NULL,
    area text NOT NULL,
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, area)
);
COMMENT ON TABLE catalog.area_data_versions IS
    'Phiên bản dữ liệu của mỗi bảng theo vùng nghiên cứu / '
    'Version of each published table per study area, incremented in the transaction of every change '
    'to rows of that area';

CREATE FUNCTION catalog.bump_area_versions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE catalog.area_data_versions SET version = version + 1, changed_at = now()
        WHERE table_name = target;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO catalog.area_data_versions AS v (table_name, area, version)
        SELECT DISTINCT target, area, 1 FROM new_rows WHERE area IS NOT NULL
        ON CONFLICT (table_name, area) DO UPDATE SET version = v.version + 1, changed_at = now();
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO catalog.area_data_versions AS v (table_name, area, version)
        SELECT DISTINCT target, area, 1 FROM old_rows WHERE area IS NOT NULL
        ON CONFLICT (table_name, area) DO UPDATE SET version = v.version + 1, changed_at = now();
    ELSE
        INSERT INTO catalog.area_data_versions AS v (table_name, area, version)
        SELECT target, changed.area, 1
        FROM (SELECT area FROM new_rows UNION SELECT area FROM old_rows) AS changed
        WHERE changed.area IS NOT NULL
        ON CONFLICT (table_name, area) DO UPDATE SET version = v.version + 1, changed_at = now();
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION catalog.track_area_changes(target regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    name text := (SELECT n.nspname || '.' || c.relname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = target);
BEGIN
    EXECUTE format('CREATE TRIGGER dothi_area_version_insert AFTER INSERT ON %s '
                   'REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_area_versions()', target);
    EXECUTE format('CREATE TRIGGER dothi_area_version_update AFTER UPDATE ON %s '
                   'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_area_versions()', target);
    EXECUTE format('CREATE TRIGGER dothi_area_version_delete AFTER DELETE ON %s '
                   'REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_area_versions()', target);
    EXECUTE format('CREATE TRIGGER dothi_area_version_truncate AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_area_versions()', target);
    EXECUTE format('INSERT INTO catalog.area_data_versions (table_name, area, version) '
                   'SELECT %L, area, 1 FROM %s WHERE area IS NOT NULL GROUP BY area '
                   'ON CONFLICT (table_name, area) DO NOTHING', name, target);
END
$$;
REVOKE EXECUTE ON FUNCTION catalog.track_area_changes(regclass) FROM PUBLIC;

CREATE OR REPLACE FUNCTION catalog.track_changes(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TRIGGER dothi_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_data_version()', target);
    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = target AND attname = 'area' AND NOT attisdropped) THEN
        PERFORM catalog.track_area_changes(target);
    END IF;
END
$$;

SELECT catalog.track_area_changes(t.tgrelid::regclass)
FROM pg_trigger t
JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attname = 'area' AND NOT a.attisdropped
WHERE t.tgname = 'dothi_data_version';

CREATE FUNCTION catalog.baseline_versions(for_area text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(jsonb_object_agg(d.table_name, coalesce(a.version, d.version))
                    FILTER (WHERE NOT d.per_area OR a.version IS NOT NULL), jsonb_build_object())
    FROM (SELECT v.table_name, v.version,
                 EXISTS (SELECT FROM pg_trigger
                         WHERE tgrelid = to_regclass(v.table_name)
                           AND tgname = 'dothi_area_version_insert') AS per_area
          FROM catalog.data_versions v
          WHERE split_part(v.table_name, '.', 1) IN ('land', 'infrastructure', 'environment')) AS d
    LEFT JOIN catalog.area_data_versions a ON a.table_name = d.table_name AND a.area = for_area
$$;
COMMENT ON FUNCTION catalog.baseline_versions(text) IS
    'Phiên bản các lớp nền của một vùng / The baseline layer versions a scenario of this study area is drawn on';

UPDATE scenario.scenarios s
SET baseline_versions = coalesce(
    (SELECT jsonb_object_agg(now_v.key, CASE WHEN s.baseline_versions -> now_v.key = to_jsonb(g.version)
                                            THEN now_v.value ELSE to_jsonb(-1) END)
     FROM jsonb_each(catalog.baseline_versions(s.area)) AS now_v
     LEFT JOIN catalog.data_versions g ON g.table_name = now_v.key),
    jsonb_build_object());

CREATE OR REPLACE FUNCTION scenario.write_edit_view() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    layer_name text := TG_ARGV[0];
    id_field text := TG_ARGV[1];
    baseline text := TG_ARGV[2];
    row_json jsonb;
    sid integer;
    new_id bigint;
    fid text;
    edit_op text;
    attrs jsonb;
    shape geometry;
    in_baseline boolean;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM scenario.edits WHERE edit_id = OLD.edit_id AND layer = layer_name;
        UPDATE scenario.scenarios SET updated_at = now() WHERE name = OLD.scenario;
        RETURN OLD;
    END IF;
    row_json := to_jsonb(NEW);
    SELECT scenario_id INTO sid FROM scenario.scenarios WHERE name = NEW.scenario;
    IF sid IS NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = format('Không có kịch bản %L (lớp %s) / No scenario named %L (layer %s)',
                             NEW.scenario, layer_name, NEW.scenario, layer_name),
            HINT = 'Set the field scenario to an existing scenario (dothi scenario list).';
    END IF;
    new_id := CASE WHEN TG_OP = 'INSERT' THEN coalesce(NEW.edit_id, nextval('scenario.edits_edit_id_seq'))
                   ELSE OLD.edit_id END;
    fid := nullif(btrim(row_json ->> id_field), '');
    IF fid IS NULL AND TG_OP = 'UPDATE' THEN
        fid := to_jsonb(OLD) ->> id_field;
    END IF;
    edit_op := nullif(btrim(NEW.op), '');
    IF edit_op IS NULL THEN
        in_baseline := false;
        IF fid IS NOT NULL THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE %I::text = $1)', baseline, id_field)
                INTO in_baseline USING fid;
        END IF;
        edit_op := CASE WHEN in_baseline THEN 'change' ELSE 'add' END;
    END IF;
    fid := coalesce(fid, 'scenario-' || new_id);
    IF edit_op NOT IN ('add', 'change', 'remove') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'check_violation',
            MESSAGE = format('%s %L: op %L không hợp lệ / op %L is not add, change or remove',
                             layer_name, fid, edit_op, edit_op);
    END IF;
    shape := CASE WHEN edit_op = 'remove' THEN NULL ELSE NEW.geom END;
    IF shape IS NULL AND edit_op <> 'remove' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'not_null_violation',
            MESSAGE = format('%s %L: thiếu hình học / the %s needs a geometry', layer_name, fid, edit_op);
    END IF;
    IF shape IS NOT NULL AND ST_SRID(shape) = 0 THEN
        shape := ST_SetSRID(shape, 4326);
    ELSIF shape IS NOT NULL AND ST_SRID(shape) <> 4326 THEN
        shape := ST_Transform(shape, 4326);
    END IF;
    IF EXISTS (SELECT FROM scenario.edits
               WHERE scenario_id = sid AND layer = layer_name AND feature_id = fid AND edit_id <> new_id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'unique_violation',
            MESSAGE = format('%s %L đã được sửa trong kịch bản %L / %s %L is already edited in scenario %L',
                             layer_name, fid, NEW.scenario, layer_name, fid, NEW.scenario),
            HINT = 'Edit that row instead of adding another one.';
    END IF;
    attrs := jsonb_strip_nulls(
        row_json - ARRAY['edit_id', 'scenario', 'op', 'author', 'created_at', 'geom', id_field]);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO scenario.edits (edit_id, scenario_id, layer, op, feature_id, attributes, geom, author)
        VALUES (new_id, sid, layer_name, edit_op, fid, attrs, shape, session_user);
    ELSE
        UPDATE scenario.edits
        SET scenario_id = sid, op = edit_op, feature_id = fid, attributes = attrs, geom = shape,
            author = session_user, created_at = now()
        WHERE edit_id = OLD.edit_id;
    END IF;
    -- as dothi scenario edit does: the baseline versions (of the scenario's area) it is now drawn on
    UPDATE scenario.scenarios
    SET updated_at = now(), baseline_versions = catalog.baseline_versions(area)
    WHERE scenario_id = sid;
    NEW := jsonb_populate_record(NEW, jsonb_build_object(
        'edit_id', new_id, 'op', edit_op, id_field, fid, 'author', session_user, 'created_at', now()));
    RETURN NEW;
END
$$;
