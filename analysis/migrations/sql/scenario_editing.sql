-- Scenario editing from QGIS (revision 0016_scenario_editing): one editable view per layer a planner
-- draws on (typed columns, one row per edit of that layer), written through by an INSTEAD OF
-- trigger into scenario.edits; the evaluated results of every scenario for planners; the group
-- role dothi_planner that may write scenario edits and nothing else.
-- Frozen: the layers and their attributes as they are at this revision, written out.

-- The planner group role is cluster-wide: created when missing (as dothi_reader in 0007_roles).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dothi_planner') THEN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            RAISE EXCEPTION USING
                ERRCODE = 'insufficient_privilege',
                MESSAGE = format(
                    'Vai trò dothi_planner chưa có và %I không được tạo vai trò. / '
                    'The group role dothi_planner does not exist and %I may not create roles.',
                    current_user, current_user),
                HINT = 'As an administrator run: CREATE ROLE dothi_planner NOLOGIN IN ROLE dothi_reader; '
                       'then run dothi db migrate again.';
        END IF;
        BEGIN
            CREATE ROLE dothi_planner NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT pg_has_role('dothi_planner', 'dothi_reader', 'MEMBER') THEN
        GRANT dothi_reader TO dothi_planner;
    END IF;
END
$$;

-- Writes one edit view's row into scenario.edits.  Arguments: layer name, id field, baseline table.
-- * scenario: the name of an existing scenario (the QGIS project sets it as the default value);
-- * op: add / change / remove; empty means change when the id is a feature of the baseline layer
--   (a baseline feature copied into the edit layer) and add otherwise;
-- * the id: empty means a new id (scenario-<edit id>);
-- * the other columns become the edit's attributes; the geometry is stored in EPSG 4326
--   (none for a removal).
-- Values are checked in full (the loader's rules: types, allowed values, in the city) when the
-- scenario is evaluated, exactly as for edits made with dothi scenario edit.
-- Runs with its owner's rights: planners write the views, never scenario.edits itself.
CREATE FUNCTION scenario.write_edit_view() RETURNS trigger
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
REVOKE ALL ON FUNCTION scenario.write_edit_view() FROM PUBLIC;

-- One view per layer: the edits of that layer in every scenario (QGIS filters on the scenario),
-- the attributes as typed columns, a removal drawn at the baseline feature it removes.
CREATE VIEW scenario.edit_schools AS
SELECT e.edit_id, s.name AS scenario, e.op, e.feature_id AS school_id,
       e.attributes ->> 'name' AS name,
       e.attributes ->> 'level' AS level,
       (e.attributes ->> 'capacity')::numeric::integer AS capacity,
       (e.attributes ->> 'public')::boolean AS public,
       e.author, e.created_at, coalesce(e.geom, b.geom) AS geom
FROM scenario.edits e
JOIN scenario.scenarios s USING (scenario_id)
LEFT JOIN infrastructure.schools b ON e.geom IS NULL AND b.school_id::text = e.feature_id
WHERE e.layer = 'schools';

CREATE VIEW scenario.edit_health_facilities AS
SELECT e.edit_id, s.name AS scenario, e.op, e.feature_id AS facility_id,
       e.attributes ->> 'name' AS name,
       e.attributes ->> 'type' AS type,
       (e.attributes ->> 'beds')::numeric::integer AS beds,
       e.author, e.created_at, coalesce(e.geom, b.geom) AS geom
FROM scenario.edits e
JOIN scenario.scenarios s USING (scenario_id)
LEFT JOIN infrastructure.health_facilities b ON e.geom IS NULL AND b.facility_id::text = e.feature_id
WHERE e.layer = 'health_facilities';

CREATE VIEW scenario.edit_markets AS
SELECT e.edit_id, s.name AS scenario, e.op, e.feature_id AS market_id,
       e.attributes ->> 'name' AS name,
       e.attributes ->> 'type' AS type,
       (e.attributes ->> 'stalls')::numeric::integer AS stalls,
       e.author, e.created_at, coalesce(e.geom, b.geom) AS geom
FROM scenario.edits e
JOIN scenario.scenarios s USING (scenario_id)
LEFT JOIN infrastructure.markets b ON e.geom IS NULL AND b.market_id::text = e.feature_id
WHERE e.layer = 'markets';

CREATE VIEW scenario.edit_transit_stops AS
SELECT e.edit_id, s.name AS scenario, e.op, e.feature_id AS stop_id,
       e.attributes ->> 'name' AS name,
       e.attributes ->> 'mode' AS mode,
       e.attributes ->> 'capacity' AS capacity,
       (e.attributes ->> 'weekday_departures')::numeric::integer AS weekday_departures,
       (e.attributes ->> 'peak_headway_min')::double precision AS peak_headway_min,
       e.attributes ->> 'routes' AS routes,
       e.author, e.created_at, coalesce(e.geom, b.geom) AS geom
FROM scenario.edits e
JOIN scenario.scenarios s USING (scenario_id)
LEFT JOIN infrastructure.transit_stops b ON e.geom IS NULL AND b.stop_id::text = e.feature_id
WHERE e.layer = 'transit_stops';

CREATE VIEW scenario.edit_green_spaces AS
SELECT e.edit_id, s.name AS scenario, e.op, e.feature_id AS green_id,
       e.attributes ->> 'type' AS type,
       (e.attributes ->> 'public')::boolean AS public,
       e.attributes ->> 'name' AS name,
       (e.attributes ->> 'area_m2')::double precision AS area_m2,
       e.author, e.created_at, coalesce(e.geom, b.geom) AS geom
FROM scenario.edits e
JOIN scenario.scenarios s USING (scenario_id)
LEFT JOIN environment.green_spaces b ON e.geom IS NULL AND b.green_id::text = e.feature_id
WHERE e.layer = 'green_spaces';

CREATE VIEW scenario.edit_land_use AS
SELECT e.edit_id, s.name AS scenario, e.op, e.feature_id AS zone_id,
       e.attributes ->> 'code' AS code,
       e.attributes ->> 'status' AS status,
       (e.attributes ->> 'plan_year')::numeric::integer AS plan_year,
       e.attributes ->> 'name' AS name,
       e.author, e.created_at, coalesce(e.geom, b.geom) AS geom
FROM scenario.edits e
JOIN scenario.scenarios s USING (scenario_id)
LEFT JOIN land.land_use b ON e.geom IS NULL AND b.zone_id::text = e.feature_id
WHERE e.layer = 'land_use';

CREATE TRIGGER write_edit INSTEAD OF INSERT OR UPDATE OR DELETE ON scenario.edit_schools
    FOR EACH ROW EXECUTE FUNCTION scenario.write_edit_view('schools', 'school_id', 'infrastructure.schools');
CREATE TRIGGER write_edit INSTEAD OF INSERT OR UPDATE OR DELETE ON scenario.edit_health_facilities
    FOR EACH ROW EXECUTE FUNCTION scenario.write_edit_view(
        'health_facilities', 'facility_id', 'infrastructure.health_facilities');
CREATE TRIGGER write_edit INSTEAD OF INSERT OR UPDATE OR DELETE ON scenario.edit_markets
    FOR EACH ROW EXECUTE FUNCTION scenario.write_edit_view('markets', 'market_id', 'infrastructure.markets');
CREATE TRIGGER write_edit INSTEAD OF INSERT OR UPDATE OR DELETE ON scenario.edit_transit_stops
    FOR EACH ROW EXECUTE FUNCTION scenario.write_edit_view(
        'transit_stops', 'stop_id', 'infrastructure.transit_stops');
CREATE TRIGGER write_edit INSTEAD OF INSERT OR UPDATE OR DELETE ON scenario.edit_green_spaces
    FOR EACH ROW EXECUTE FUNCTION scenario.write_edit_view('green_spaces', 'green_id', 'environment.green_spaces');
CREATE TRIGGER write_edit INSTEAD OF INSERT OR UPDATE OR DELETE ON scenario.edit_land_use
    FOR EACH ROW EXECUTE FUNCTION scenario.write_edit_view('land_use', 'zone_id', 'land.land_use');

COMMENT ON VIEW scenario.edit_schools IS
    'Trường học của kịch bản: thêm, đổi, xóa (sửa được trong QGIS) / Scenario schools: add, change, remove (editable in QGIS)';
COMMENT ON VIEW scenario.edit_health_facilities IS
    'Cơ sở y tế của kịch bản (sửa được trong QGIS) / Scenario health facilities (editable in QGIS)';
COMMENT ON VIEW scenario.edit_markets IS
    'Chợ của kịch bản (sửa được trong QGIS) / Scenario markets (editable in QGIS)';
COMMENT ON VIEW scenario.edit_transit_stops IS
    'Điểm dừng xe buýt của kịch bản (sửa được trong QGIS) / Scenario transit stops (editable in QGIS)';
COMMENT ON VIEW scenario.edit_green_spaces IS
    'Cây xanh, công viên của kịch bản (sửa được trong QGIS) / Scenario green spaces (editable in QGIS)';
COMMENT ON VIEW scenario.edit_land_use IS
    'Sử dụng đất của kịch bản, chuyển đổi mục đích (sửa được trong QGIS) / Scenario land use, rezoning (editable in QGIS)';

-- The evaluated results of every scenario (published or not), for planners and the API's analyst.
CREATE VIEW scenario.scenario_results AS
SELECT s.name || ':' || r.indicator_id || ':' || r.result_id AS id,
       s.name AS scenario, s.title_vi AS scenario_title_vi, s.title_en AS scenario_title_en,
       r.indicator_id, r.level, r.unit_id, r.vintage, r.name_vi, r.name_en, r.value_column,
       r.before, r.after, r.change, r.method, r.synthetic, r.notice_vi, r.notice_en, r.evaluated_at,
       s.published, r.geom
FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id);
COMMENT ON VIEW scenario.scenario_results IS
    'Kết quả đánh giá của mọi kịch bản (trước, sau, thay đổi) / Evaluated results of every scenario (before, after, change)';

-- Planners read the layers (dothi_reader), the scenarios and their results, and write scenario
-- edits through the views above; nothing else.
GRANT USAGE ON SCHEMA scenario TO dothi_planner;
GRANT SELECT ON scenario.scenarios, scenario.scenario_results, scenario.published_results,
    scenario.published_scenarios TO dothi_planner;
GRANT SELECT, INSERT, UPDATE, DELETE ON scenario.edit_schools, scenario.edit_health_facilities,
    scenario.edit_markets, scenario.edit_transit_stops, scenario.edit_green_spaces, scenario.edit_land_use
    TO dothi_planner, dothi_analyst;
GRANT SELECT ON scenario.scenario_results TO dothi_analyst;
