-- Scenarios (revision 0013_scenarios): named sets of edits over the baseline layers, and their
-- evaluated results.  The baseline tables are never written by a scenario: edits live here.
CREATE SCHEMA scenario;
REVOKE ALL ON SCHEMA scenario FROM PUBLIC;
COMMENT ON SCHEMA scenario IS
    'Kịch bản quy hoạch: các chỉnh sửa trên lớp nền và kết quả đánh giá / '
    'Planning scenarios: edits over the baseline layers and their evaluated results';

CREATE TABLE scenario.scenarios (
    scenario_id serial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]*$' AND char_length(name) <= 63),
    title_vi text NOT NULL CHECK (title_vi <> ''),
    title_en text NOT NULL CHECK (title_en <> ''),
    description_vi text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT '',
    author text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    parent_id integer REFERENCES scenario.scenarios (scenario_id) ON DELETE RESTRICT,
    baseline_versions jsonb NOT NULL DEFAULT jsonb_build_object(),
    published boolean NOT NULL DEFAULT false,
    evaluated_at timestamptz,
    evaluated_versions jsonb,
    CHECK (parent_id IS NULL OR parent_id <> scenario_id)
);
COMMENT ON TABLE scenario.scenarios IS
    'Kịch bản: tên, tiêu đề, tác giả, kịch bản gốc, phiên bản dữ liệu nền khi vẽ / '
    'Scenarios: name, titles, author, parent scenario, baseline data versions (catalog.data_versions) when drawn';
COMMENT ON COLUMN scenario.scenarios.baseline_versions IS
    'catalog.data_versions of the baseline layers when the scenario was created or last edited';

CREATE TABLE scenario.edits (
    edit_id bigserial PRIMARY KEY,
    scenario_id integer NOT NULL REFERENCES scenario.scenarios (scenario_id) ON DELETE CASCADE,
    layer text NOT NULL,
    op text NOT NULL CHECK (op IN ('add', 'change', 'remove')),
    feature_id text NOT NULL CHECK (feature_id <> ''),
    attributes jsonb NOT NULL DEFAULT jsonb_build_object(),
    geom geometry(Geometry, 4326),
    author text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (scenario_id, layer, feature_id),
    CHECK ((op = 'remove') = (geom IS NULL))
);
CREATE INDEX edits_scenario_idx ON scenario.edits (scenario_id);
CREATE INDEX edits_geom_idx ON scenario.edits USING gist (geom);
COMMENT ON TABLE scenario.edits IS
    'Chỉnh sửa của kịch bản (thêm, đổi, xóa đối tượng của một lớp) / '
    'Scenario edits: add, change or remove one feature of a layer (geometry in EPSG:4326)';

CREATE TABLE scenario.results (
    scenario_id integer NOT NULL REFERENCES scenario.scenarios (scenario_id) ON DELETE CASCADE,
    indicator_id text NOT NULL,
    result_id text NOT NULL,
    level text NOT NULL,
    unit_id text NOT NULL,
    vintage integer,
    name_vi text,
    name_en text,
    value_column text NOT NULL,
    before double precision,
    after double precision,
    change double precision,
    "values" jsonb NOT NULL,
    method text NOT NULL,
    synthetic boolean NOT NULL,
    notice_vi text NOT NULL,
    notice_en text NOT NULL,
    evaluated_at timestamptz NOT NULL DEFAULT now(),
    geom geometry(MultiPolygon, 4326),
    PRIMARY KEY (scenario_id, indicator_id, result_id)
);
CREATE INDEX results_geom_idx ON scenario.results USING gist (geom);
COMMENT ON TABLE scenario.results IS
    'Kết quả kịch bản: các đơn vị có chỉ số thay đổi (trước, sau, thay đổi) / '
    'Scenario results: the units whose indicator value changes (before, after, change)';

-- What anonymous readers see: the results of published scenarios only.
CREATE VIEW scenario.published_results AS
SELECT s.name || ':' || r.indicator_id || ':' || r.result_id AS id,
       s.name AS scenario, s.title_vi AS scenario_title_vi, s.title_en AS scenario_title_en,
       r.indicator_id, r.level, r.unit_id, r.vintage, r.name_vi, r.name_en, r.value_column,
       r.before, r.after, r.change, r.method, r.synthetic, r.notice_vi, r.notice_en, r.evaluated_at, r.geom
FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id)
WHERE s.published;
COMMENT ON VIEW scenario.published_results IS
    'Kết quả của các kịch bản đã công bố / Results of the published scenarios';

CREATE VIEW scenario.published_scenarios AS
SELECT s.name, s.title_vi, s.title_en, s.description_vi, s.description_en, s.author,
       s.created_at, s.updated_at, p.name AS parent, s.evaluated_at
FROM scenario.scenarios s LEFT JOIN scenario.scenarios p ON p.scenario_id = s.parent_id
WHERE s.published;

-- The API's analyst role (processes) writes scenarios; the reader sees published ones only.
GRANT USAGE ON SCHEMA scenario TO dothi_reader, dothi_analyst;
GRANT SELECT ON scenario.published_results, scenario.published_scenarios TO dothi_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON scenario.scenarios, scenario.edits, scenario.results TO dothi_analyst;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA scenario TO dothi_analyst;
