-- Revision 0020_area_versions, downgrade: whole-table versions only, as at 0019_scenario_areas.
-- The scenarios keep the versions they hold (of their area): against whole-table versions they read
-- "baseline changed" until they are edited again.

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
    -- as dothi scenario edit does: the baseline versions the scenario is now drawn on
    UPDATE scenario.scenarios
    SET updated_at = now(),
        baseline_versions = coalesce(
            (SELECT jsonb_object_agg(table_name, version) FROM catalog.data_versions
             WHERE split_part(table_name, '.', 1) IN ('land', 'infrastructure', 'environment')),
            baseline_versions)
    WHERE scenario_id = sid;
    NEW := jsonb_populate_record(NEW, jsonb_build_object(
        'edit_id', new_id, 'op', edit_op, id_field, fid, 'author', session_user, 'created_at', now()));
    RETURN NEW;
END
$$;

DROP FUNCTION catalog.baseline_versions(text);

CREATE OR REPLACE FUNCTION catalog.track_changes(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TRIGGER dothi_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_data_version()', target);
END
$$;

DO $$
DECLARE
    found record;
BEGIN
    FOR found IN SELECT tgname, tgrelid::regclass AS target FROM pg_trigger
                 WHERE tgname LIKE 'dothi\_area\_version\_%' LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', found.tgname, found.target);
    END LOOP;
END
$$;

DROP FUNCTION catalog.track_area_changes(regclass);
DROP FUNCTION catalog.bump_area_versions();
DROP TABLE catalog.area_data_versions;
