"""The QGIS project's Scenarios group, used as a planner uses it: headless QGIS opens the generated
project, draws a school on the scenario's edit layer through QGIS's own postgres provider (edit
buffer and commit, the form's default values), as a planner login that may write scenario edits
only; ``dothi scenario evaluate`` runs; the group's result layer shows the change.  Bad edits saved
through QGIS are named at evaluation and nothing is stored.  Real PostGIS (the demo database), real
QGIS (system ``python3-qgis``), the real CLI.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from shapely.geometry import Point
from sqlalchemy.engine import URL, Engine

from analysis.scenarios import store
from api_config.qgis.project import connection, plan_project, run_driver, write_project
from api_config.qgis.scenarios import (
    DIVERGING,
    EDITABLE,
    GROUP_TITLE,
    difference_classes,
    edit_qml,
    scenario_groups,
)
from gis.engine import create_engine
from gis.errors import ConfigError
from gis.settings import ApiSettings
from layers.catalog import LAYERS
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

ROOT = Path(__file__).resolve().parents[2]
EDIT_DRIVER = ROOT / "tests" / "qgis_driver" / "edit_scenario.py"
DOC_PNG = ROOT / "docs" / "img" / "qgis-scenario.png"
PLANNER = "dothi_test_planner"
SERVICE = "dothi-test-planner"
GOOD, BAD = "qgis-new-school", "qgis-bad-edits"
SCHOOLS_VIEW = EDITABLE["schools"]
RESULT_NAME = "Δ Tiếp cận trường học / Δ School access"


def _query(engine: Engine, query: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(query, params or {})
        rows = cur.fetchall() if cur.description else []
        raw.commit()
        return rows
    finally:
        raw.close()


def _pgpass_field(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:")


@pytest.fixture(scope="module")
def demo(demo_url: URL) -> Iterator[Engine]:
    eng = create_engine(demo_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def planner(demo: Engine, demo_url: URL, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A planner's own login (member of dothi_planner), their pg_service.conf and passwords."""
    password = secrets.token_urlsafe(18)
    _query(
        demo,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dothi_test_planner') "
        "THEN CREATE ROLE dothi_test_planner LOGIN; END IF; END $$",
    )
    _query(demo, "ALTER ROLE dothi_test_planner LOGIN PASSWORD %(pw)s", {"pw": password})
    _query(demo, "GRANT dothi_planner TO dothi_test_planner")
    folder = tmp_path_factory.mktemp("planner")
    conn = connection(demo_url)
    services = folder / "pg_service.conf"
    services.write_text(
        f"[{SERVICE}]\nhost={conn['host']}\nport={conn['port']}\ndbname={conn['dbname']}\nuser={PLANNER}\n",
        encoding="utf-8",
    )
    pgpass = folder / "pgpass"
    pgpass.write_text(
        f"*:*:*:{_pgpass_field(str(demo_url.username))}:{_pgpass_field(str(demo_url.password))}\n"
        f"*:*:*:{PLANNER}:{_pgpass_field(password)}\n",
        encoding="utf-8",
    )
    pgpass.chmod(0o600)
    return {"pgpassfile": str(pgpass), "pgservicefile": str(services), "password": password}


@pytest.fixture(scope="module")
def project(
    demo: Engine, demo_url: URL, demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Two scenarios, and the project generated for them, their layers through the planner service."""
    for name, vi, en in ((GOOD, "Trường mới", "A new school"), (BAD, "Chỉnh sửa sai", "Bad edits")):
        store.create(demo, name, title_vi=vi, title_en=en, author="test")
    plan = plan_project(
        demo, ApiSettings(port=5999), data_dir=demo_data_dir, scenarios=[GOOD, BAD], planner_service=SERVICE
    )
    top = plan.groups[0]
    assert top["name"] == GROUP_TITLE and [g["name"].split(":")[0] for g in top["groups"]] == [GOOD, BAD]
    path = tmp_path_factory.mktemp("qgis-scenarios") / "dothi.qgs"
    written = write_project(plan, demo_url, path=path, to_database=False)
    ours = [la for la in written["layers"] if la["group"].startswith((GOOD, BAD))]
    assert len(ours) > 2 * len(EDITABLE) and all(la["valid"] for la in ours)
    return path


def _qgis(project: Path, planner: dict[str, str], url: URL, scenario: str, **request: Any) -> dict[str, Any]:
    payload = {
        "source": str(project),
        "scenario": scenario,
        "pgpassfile": planner["pgpassfile"],
        "pgservicefile": planner["pgservicefile"],
        **request,
    }
    result = run_driver(EDIT_DRIVER, payload, url, timeout=180)
    assert result["read"] and result["group"], result
    return result


def _layer(result: dict[str, Any], table: str, name: str | None = None) -> dict[str, Any]:
    return next(
        la for la in result["layers"] if la["table"] == table and (name is None or la["name"] == name)
    )


def _evaluate(name: str, url: URL, data_dir: Path, dothi_cli: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DOTHI_DATABASE_URL": url.render_as_string(hide_password=False),
        "DOTHI_DATA_DIR": str(data_dir),
    }
    cmd = [*dothi_cli, "scenario", "evaluate", name, "--indicator", "education_access"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)


def _underserved_point(engine: Engine) -> tuple[float, float, str]:
    """The most populous grid cell with the fewest children within reach of a primary school, and
    the (newest) ward it lies in."""
    ((x, y, ward),) = _query(
        engine,
        "WITH cell AS (SELECT ST_PointOnSurface(geom) AS p FROM analysis.education_access "
        "WHERE level = 'grid' AND children_primary > 0 "
        "ORDER BY primary_within_pct, children_primary DESC LIMIT 1) "
        "SELECT ST_X(p), ST_Y(p), w.unit_id FROM cell JOIN analysis.education_access w "
        "ON w.level = 'ward' AND w.vintage = 2025 AND ST_Contains(w.geom, p)",
    )
    return float(x), float(y), str(ward)


def test_planner_draws_a_school_in_qgis_and_sees_the_evaluated_result(
    demo: Engine,
    demo_url: URL,
    demo_data_dir: Path,
    project: Path,
    planner: dict[str, str],
    dothi_cli: list[str],
    tmp_path: Path,
) -> None:
    x, y, ward = _underserved_point(demo)
    school = {"name": "Trường TH Kịch bản", "level": "primary", "capacity": 600, "public": True}
    drawn = _qgis(
        project, planner, demo_url, GOOD, add=[{"view": SCHOOLS_VIEW, "x": x, "y": y, "attributes": school}]
    )
    assert drawn["commits"][0]["ok"], drawn["commits"]
    layer = _layer(drawn, SCHOOLS_VIEW)
    # the form a planner gets: the scenario filled in, allowed values offered, bookkeeping read-only
    assert layer["service"] == SERVICE and layer["subset"] == f"scenario = '{GOOD}'" and layer["editable"]
    assert layer["default_scenario"] == f"'{GOOD}'"
    assert layer["widgets"]["level"] == "ValueMap" and layer["widgets"]["edit_id"] == "Hidden"
    assert {"edit_id", "scenario", "author"} <= set(layer["read_only"])
    (feature,) = layer["features"]
    assert feature["scenario"] == GOOD and feature["op"] == "add" and feature["author"] == PLANNER
    assert feature["school_id"].startswith("scenario-") and feature["level"] == "primary"
    # stored as any scenario edit: what the CLI sees
    (edit,) = store.effective_edits(demo, GOOD)
    assert (edit.layer, edit.op, edit.feature_id) == ("schools", "add", feature["school_id"])
    assert edit.attributes == school and edit.geometry.distance(Point(x, y)) < 1e-9

    done = _evaluate(GOOD, demo_url, demo_data_dir, dothi_cli)
    assert done.returncode == 0, done.stderr
    png = tmp_path / "scenario.png"
    seen = _qgis(
        project,
        planner,
        demo_url,
        GOOD,
        png=str(png),
        hide_groups=["Chỉ số 2025 / Indicators 2025"],  # the difference map over the base layers
        extent=[x - 0.03, y - 0.022, x + 0.03, y + 0.022],  # about 6.6 km × 4.8 km around the school
    )
    result = _layer(seen, "scenario_results", RESULT_NAME)
    assert result["visible"] and result["renderer"] == "graduatedSymbol"
    assert SCENARIO_RESULT["vi"] in result["abstract"] and SCENARIO_RESULT["en"] in result["abstract"]
    assert SYNTHETIC_RESULT["en"] in result["abstract"]  # the demo's population is generated
    rows = {f["unit_id"]: f for f in result["features"]}
    assert ward in rows, (ward, sorted(rows))
    baseline = dict(
        _query(
            demo,
            "SELECT unit_id, primary_within_pct FROM analysis.education_access_ward_2025",
        )
    )
    for unit, row in rows.items():  # the layer's before is the published (rounded) baseline
        assert row["vintage"] == 2025 and row["level"] == "ward"
        assert row["before"] == pytest.approx(baseline[unit], rel=1e-9)
        assert row["change"] == pytest.approx(row["after"] - row["before"], abs=1e-9)
    assert rows[ward]["after"] > rows[ward]["before"]
    assert rows[ward]["notice_en"].startswith(SCENARIO_RESULT["en"])
    image = seen["image"]
    assert image["non_background"] > 0.2 and image["colours"] > 50, image
    DOC_PNG.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, DOC_PNG)


def test_bad_edits_saved_in_qgis_are_named_at_evaluation_and_nothing_is_stored(
    demo: Engine,
    demo_url: URL,
    demo_data_dir: Path,
    project: Path,
    planner: dict[str, str],
    dothi_cli: list[str],
) -> None:
    x, y, _ = _underserved_point(demo)
    ((_minx, miny, maxx, maxy),) = _query(
        demo,
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM land.admin_units) b",
    )
    ((zone, code, zone_wkt),) = _query(
        demo,
        "SELECT zone_id, code, ST_AsText(geom) FROM land.land_use WHERE code <> 'DGD' ORDER BY zone_id LIMIT 1",
    )
    view_of = EDITABLE
    drawn = _qgis(
        project,
        planner,
        demo_url,
        BAD,
        add=[
            # outside the city (a degree east of it) and a school level that does not exist
            {
                "view": view_of["schools"],
                "x": maxx + 1.0,
                "y": (miny + maxy) / 2,
                "attributes": {"level": "primary"},
            },
            {"view": view_of["schools"], "x": x, "y": y, "attributes": {"level": "castle"}},
            # rezoning a block: the baseline feature copied in with another code (op inferred: change)
            {
                "view": view_of["land_use"],
                "wkt": zone_wkt,
                "attributes": {"zone_id": zone, "code": "DGD", "status": "planned"},
            },
            # a scenario that does not exist: refused at save, with the reason QGIS shows
            {
                "view": view_of["schools"],
                "x": x,
                "y": y,
                "attributes": {"scenario": "no-such", "level": "primary"},
            },
        ],
    )
    outside, castle, rezone, unknown = drawn["commits"]
    assert outside["ok"] and castle["ok"] and rezone["ok"], drawn["commits"]
    assert not unknown["ok"] and "No scenario named 'no-such'" in "\n".join(unknown["errors"])
    schools = {f["level"]: f for f in _layer(drawn, view_of["schools"])["features"]}
    assert set(schools) == {"primary", "castle"}  # the refused one was not stored
    (block,) = _layer(drawn, view_of["land_use"])["features"]
    assert (block["zone_id"], block["op"], block["code"]) == (zone, "change", "DGD") and code != "DGD"

    done = _evaluate(BAD, demo_url, demo_data_dir, dothi_cli)
    assert done.returncode == 2, (done.stdout, done.stderr)
    message = done.stderr
    for bad in (schools["primary"]["school_id"], schools["castle"]["school_id"]):
        assert bad in message, message
    assert "castle" in message and "nothing was applied" in message
    assert zone not in message  # the valid rezoning is not blamed
    assert _query(
        demo, "SELECT count(*) FROM scenario.scenario_results WHERE scenario = %(s)s", {"s": BAD}
    ) == [(0,)]
    assert store.get(demo, BAD).evaluated_at is None


def test_the_planner_login_writes_scenario_edits_only(
    demo: Engine, demo_url: URL, planner: dict[str, str], project: Path
) -> None:
    conn = psycopg2.connect(
        host=connection(demo_url)["host"],
        port=connection(demo_url)["port"],
        dbname=demo_url.database,
        user=PLANNER,
        password=planner["password"],
    )
    try:
        for statement in (
            "INSERT INTO scenario.edits (scenario_id, layer, op, feature_id, author) VALUES (1, 'schools', 'remove', 'x', 'me')",
            "DELETE FROM scenario.results",
            "UPDATE infrastructure.schools SET name = 'x'",
            "UPDATE scenario.scenarios SET published = true",
        ):
            with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
            conn.rollback()
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM scenario.edit_schools")  # reads its edit layers
            cur.execute("SELECT count(*) FROM infrastructure.schools")  # and the baseline layers
            assert cur.fetchone()[0] > 0
    finally:
        conn.close()
    assert set(EDITABLE) <= set(LAYERS)


def test_difference_classes_are_symmetric_around_zero() -> None:
    classes = difference_classes(17.0, "%")  # rounded up to 20: edges ±10, ±2, ±0.2
    inner = [(c.lower, c.upper) for c in classes[1:-1]]
    assert inner == [(-10.0, -2.0), (-2.0, -0.2), (-0.2, 0.2), (0.2, 2.0), (2.0, 10.0)]
    assert classes[0].upper == -10.0 and classes[-1].lower == 10.0
    assert [c.symbol.fill for c in classes] == list(DIVERGING)
    assert "increase" in classes[-1].label_vi and "tăng" in classes[-1].label_vi


def test_every_edit_view_has_its_layers_attributes(engine: Engine) -> None:
    """The frozen views of 0016_scenario_editing follow the catalog (a new attribute needs a revision);
    a project gets a Scenarios group only when asked for one."""
    raw = engine.raw_connection()
    try:
        assert scenario_groups(raw.cursor(), None) == []
        with pytest.raises(ConfigError, match="no-such-scenario"):
            scenario_groups(raw.cursor(), ["no-such-scenario"])
    finally:
        raw.close()
    for layer, view in EDITABLE.items():
        spec = LAYERS[layer]
        columns = [
            r[0]
            for r in _query(
                engine,
                "SELECT attname FROM pg_attribute WHERE attrelid = %(v)s::regclass AND attnum > 0 "
                "ORDER BY attnum",
                {"v": f"scenario.{view}"},
            )
        ]
        attrs = [a.name for a in spec.attributes]
        assert columns == ["edit_id", "scenario", "op", *attrs, "author", "created_at", "geom"], layer
        form = edit_qml(spec, "s1")
        for attr in spec.attributes:
            if attr.allowed:
                assert all(f'value="{v}"' in form for v in attr.allowed), (layer, attr.name)
