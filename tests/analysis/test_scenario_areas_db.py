"""Scenarios per study area: a scenario of the second area is validated against that area's outline
and baseline, evaluated on that area's layers, and leaves Mỹ Tho's published and scenario results
byte-identical; ``dothi scenario create --area`` and ``list`` (real DB, CLI in-process).

The database of ``tests/layers/test_areas_db.py``: Mỹ Tho (real units, synthetic layers on three
wards) and two of its wards as the second area ``tg_test``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from psycopg2 import sql
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from analysis.registry import get_indicator
from analysis.runner import compute_indicator, run_all
from analysis.scenarios import store
from analysis.scenarios.edits import Edit
from analysis.scenarios.errors import ScenarioError
from analysis.scenarios.evaluate import BASELINES
from analysis.scenarios.published import round_published
from api_config.cli import cli
from layers.areas import get_area
from layers.sources import tien_giang
from layers.synthetic.generate import generate_and_load
from tests.layers.test_areas_db import AREA, COMMUNES, MYTHO_WARDS, SEED, areas_db  # noqa: F401 - fixture

pytestmark = pytest.mark.db

INDICATOR = "education_access"
SCHOOL = {"level": "primary", "capacity": 400}


def _query(engine: Engine, query: sql.Composable | str, params: dict[str, object]) -> list[tuple]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(query, params)
        return list(cur.fetchall())


def _centre(engine: Engine, area: str, codes: tuple[str, ...] | None = None) -> Point:
    """A point inside the first 2019 admin unit of ``area`` (among ``codes`` when given)."""
    rows = _query(
        engine,
        "SELECT ST_AsText(ST_PointOnSurface(geom)) FROM land.admin_units WHERE area = %(area)s "
        "AND vintage = 2019 AND (%(codes)s::text[] IS NULL OR code = ANY(%(codes)s)) ORDER BY unit_id LIMIT 1",
        {"area": area, "codes": list(codes) if codes else None},
    )
    return shapely.from_wkt(rows[0][0])


def _far_from(engine: Engine, area: str) -> Point:
    """A point inside Mỹ Tho at least ~3 km outside the envelope of ``area``."""
    box = shapely.box(*get_area(engine, area).bbox).buffer(0.03)
    rows = _query(
        engine,
        "SELECT ST_AsText(ST_PointOnSurface(geom)) FROM land.admin_units WHERE area = 'mytho' "
        "AND vintage = 2019 ORDER BY unit_id",
        {},
    )
    return next(p for p in (shapely.from_wkt(r[0]) for r in rows) if not p.intersects(box))


def _digest(engine: Engine, query: sql.Composable, params: dict[str, object]) -> tuple[int, str]:
    wrapped = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ({}) AS t"
    ).format(query)
    n, digest = _query(engine, wrapped, params)[0]
    return int(n), str(digest)


def _mytho_results(engine: Engine) -> dict[str, tuple[int, str]]:
    """Mỹ Tho's published results, runs, scenarios and scenario results, every column."""
    table = sql.Identifier("analysis", get_indicator(INDICATOR).table)
    return {
        "published": _digest(engine, sql.SQL("SELECT * FROM {} WHERE area = 'mytho'").format(table), {}),
        "runs": _digest(engine, sql.SQL("SELECT * FROM analysis.indicator_runs WHERE area = 'mytho'"), {}),
        "scenarios": _digest(
            engine,
            sql.SQL(
                "SELECT r.* FROM scenario.results r JOIN scenario.scenarios s USING (scenario_id) "
                "WHERE s.area = 'mytho'"
            ),
            {},
        ),
    }


@pytest.fixture(scope="module")
def two_areas(areas_db: tuple[Engine, Path, str]) -> tuple[Engine, Path, str]:  # noqa: F811 - fixture
    engine, data_dir, url = areas_db
    tien_giang.load(engine, area=AREA, communes=COMMUNES[:2])
    generate_and_load(engine, data_dir, seed=SEED, scale=0.2, area=AREA)
    run_all(engine, only=[INDICATOR], data_dir=data_dir)
    run_all(engine, only=[INDICATOR], data_dir=data_dir, area=AREA)
    store.create(engine, "mt-plan", title_vi="Trường mới", title_en="New school", author="test")
    school = Edit("schools", "add", "mt-new-1", _centre(engine, "mytho", MYTHO_WARDS), SCHOOL)
    store.add_edits(engine, "mt-plan", [school], author="test")
    return engine, data_dir, url


def _cli(url: str, *args: str, data_dir: Path | None = None) -> tuple[int, str]:
    """Exit code and output (standard output when it succeeded), in-process; ``data_dir`` holds the
    rasters (the generated population grid)."""
    env = {"DOTHI_DATABASE_URL": url, **({"DOTHI_DATA_DIR": str(data_dir)} if data_dir else {})}
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_a_scenario_of_the_second_area_uses_its_baseline_only(two_areas: tuple[Engine, Path, str]) -> None:
    engine, data_dir, url = two_areas
    code, out = _cli(url, "--json", "scenario", "evaluate", "mt-plan", data_dir=data_dir)
    assert code == 0, out
    mytho_answer = json.loads(out)["indicators"][INDICATOR]
    before = _mytho_results(engine)

    code, out = _cli(
        url, "scenario", "create", "tg-plan", "--title-vi", "Trường", "--title-en", "School", "--area", AREA
    )
    assert code == 0, out
    school = Edit("schools", "add", "tg-new-1", _centre(engine, AREA), SCHOOL)
    store.add_edits(engine, "tg-plan", [school], author="test")
    code, out = _cli(url, "--json", "scenario", "evaluate", "tg-plan", data_dir=data_dir)
    assert code == 0, out
    answer = json.loads(out)
    assert answer["area"] == AREA
    units = answer["indicators"][INDICATOR]["units"]
    wards = [u for u in units if u["level"] == "ward"]
    assert wards and all(u["unit_id"].startswith(f"{AREA}:") for u in wards)
    # "before" is the second area's own baseline, at published precision
    spec = get_indicator(INDICATOR)
    alone = compute_indicator(engine, spec, data_dir=data_dir, area=AREA).rows
    value = dict(zip(alone["unit_id"], alone[spec.value_column], strict=True))
    digits = spec.digits(spec.value_column)
    for u in units:
        assert u["before"] == pytest.approx(
            float(round_published(np.array([value[u["unit_id"]]]), digits)[0])
        )
    stored = _query(
        engine,
        "SELECT DISTINCT area FROM scenario.scenario_results WHERE scenario = 'tg-plan'",
        {},
    )
    assert stored == [(AREA,)]
    # Mỹ Tho's published results, runs and scenario results are byte-identical, and its scenario
    # answers the same as before (baselines are cached per area)
    assert _mytho_results(engine) == before
    code, out = _cli(url, "--json", "scenario", "evaluate", "mt-plan", data_dir=data_dir)
    assert code == 0, out
    assert json.loads(out)["indicators"][INDICATOR] | {"seconds": 0} == mytho_answer | {"seconds": 0}
    assert {key.split("/", 1)[0] for key in BASELINES} == {"mytho", AREA}


def test_an_edit_outside_the_area_is_refused_naming_it(two_areas: tuple[Engine, Path, str]) -> None:
    engine, _, _ = two_areas
    if "tg-edits" not in {r["name"] for r in store.list_all(engine)}:
        store.create(engine, "tg-edits", title_vi="Sửa", title_en="Edits", author="test", area=AREA)
    far = _far_from(engine, AREA)
    edit = Edit("schools", "add", "far-school", far, SCHOOL)
    with pytest.raises(ScenarioError) as caught:
        store.add_edits(engine, "tg-edits", [edit], author="test")
    message = str(caught.value)
    assert "far-school" in message and AREA in message and "outside" in message
    # the same school is inside Mỹ Tho: a Mỹ Tho scenario takes it
    store.add_edits(engine, "mt-plan", [Edit("schools", "add", "far-school", far, SCHOOL)], author="test")
    store.drop_edits(engine, "mt-plan", ["schools:far-school"])
    # a Mỹ Tho school is not in the second area's baseline, although both overlap on the ground
    mytho_school = _query(
        engine, "SELECT school_id FROM infrastructure.schools WHERE area = 'mytho' ORDER BY 1 LIMIT 1", {}
    )[0][0]
    with pytest.raises(ScenarioError, match=f"{mytho_school}.*{AREA}"):
        store.add_edits(engine, "tg-edits", [Edit("schools", "remove", mytho_school)], author="test")


def test_cli_create_area_and_list(two_areas: tuple[Engine, Path, str]) -> None:
    _, _, url = two_areas
    titles = ("--title-vi", "Thử", "--title-en", "Test")
    code, out = _cli(url, "scenario", "create", "nowhere-plan", *titles, "--area", "atlantis")
    assert code == 2
    assert "atlantis" in out and "mytho" in out and AREA in out and "--area" in out
    for bad in ("bad\r\nInjected: yes\x00", "a" * 10_000):
        code, out = _cli(url, "scenario", "create", "bad-plan", *titles, "--area", bad)
        assert code == 2, out
        assert "\r" not in out and "\x00" not in out and "Injected: yes\n" not in out
        assert len(out) < 600 and "--area" in out
    assert "10000" in out  # the length of the value cut short
    code, out = _cli(url, "--json", "scenario", "list")
    assert code == 0, out
    areas = {r["name"]: r["area"] for r in json.loads(out)}
    assert areas["mt-plan"] == "mytho" and areas["tg-plan"] == AREA
    code, out = _cli(url, "scenario", "list")
    assert code == 0 and any(AREA in line and "tg-plan" in line for line in out.splitlines())


def _bump(engine: Engine, area: str) -> None:
    """An UPDATE touching one school of ``area`` (its values unchanged): a change to that area."""
    with engine.begin() as conn:
        conn.connection.driver_connection.cursor().execute(
            "UPDATE infrastructure.schools SET name = name WHERE school_id = "
            "(SELECT min(school_id) FROM infrastructure.schools WHERE area = %(area)s)",
            {"area": area},
        )


def test_a_change_to_another_area_is_not_a_baseline_change(two_areas: tuple[Engine, Path, str]) -> None:
    engine, _, _ = two_areas
    if "tg-versions" not in {r["name"] for r in store.list_all(engine)}:
        store.create(
            engine, "tg-versions", title_vi="Phiên bản", title_en="Versions", author="test", area=AREA
        )
    store.create(engine, "mt-versions", title_vi="Phiên bản", title_en="Versions", author="test")
    try:
        mytho, second = store.get(engine, "mt-versions"), store.get(engine, "tg-versions")
        assert store.baseline_changes(engine, mytho) == []
        assert "infrastructure.schools" in mytho.baseline_versions
        _bump(engine, AREA)  # the second area changes: Mỹ Tho's scenario is still on its baseline
        assert store.baseline_changes(engine, store.get(engine, "mt-versions")) == []
        assert store.baseline_changes(engine, second) == ["infrastructure.schools"]
        _bump(engine, "mytho")
        assert store.baseline_changes(engine, store.get(engine, "mt-versions")) == ["infrastructure.schools"]
        # a statement touching rows of both areas changes both; an edit draws the scenario anew
        with engine.begin() as conn:
            conn.connection.driver_connection.cursor().execute(
                "UPDATE land.admin_units SET name_vi = name_vi WHERE area IN ('mytho', %(area)s)",
                {"area": AREA},
            )
        assert store.baseline_changes(engine, store.get(engine, "tg-versions")) == [
            "infrastructure.schools",
            "land.admin_units",
        ]
        school = Edit("schools", "add", "tg-versions-1", _centre(engine, AREA), SCHOOL)
        store.add_edits(engine, "tg-versions", [school], author="test")
        assert store.baseline_changes(engine, store.get(engine, "tg-versions")) == []
    finally:
        store.delete(engine, "mt-versions")
        store.delete(engine, "tg-versions")
