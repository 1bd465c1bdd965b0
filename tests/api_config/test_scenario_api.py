"""``scenario-evaluate`` and the ``scenario-results`` collection over real HTTP on the demo database."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
from shapely.geometry import Point, shape
from sqlalchemy.engine import URL, Engine

from analysis.registry import get_indicator
from analysis.scenarios import store
from analysis.scenarios.edits import Edit, validate_edits
from analysis.scenarios.evaluate import evaluate_edits, recompute
from api_config.processes.scenario import parse_edits
from gis.engine import create_engine
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT
from tests.conftest import _serve, bearer

PROCESS = "scenario-evaluate"
CENTRE = (106.362, 10.358)


def _school(fid: str, x: float, y: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"layer": "schools", "op": "add", "school_id": fid, "level": "primary", **props},
        "geometry": {"type": "Point", "coordinates": [x, y]},
    }


def _clinic(fid: str, x: float, y: float) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "layer": "health_facilities",
            "op": "add",
            "facility_id": fid,
            "type": "clinic",
            "beds": 20,
        },
        "geometry": {"type": "Point", "coordinates": [x, y]},
    }


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture(scope="module")
def demo_engine(demo_url: URL) -> Iterator[Engine]:
    eng = create_engine(demo_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def scenario_server(
    demo_engine: Engine, demo_url: URL, demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`dothi serve` on the demo with one published and one private scenario."""
    for name, publish in (("t-http-pub", True), ("t-http-private", False)):
        store.create(demo_engine, name, title_vi="Trường mới", title_en="New school", author="alice")
        store.add_edits(
            demo_engine,
            name,
            [Edit("schools", "add", f"{name}-s", Point(*CENTRE), {"level": "primary"})],
            author="alice",
        )
        changes = evaluate_edits(
            demo_engine, store.effective_edits(demo_engine, name), data_dir=demo_data_dir
        )
        store.save_results(demo_engine, name, changes, publish=publish)
    folder = tmp_path_factory.mktemp("scenario-api")
    with pytest.MonkeyPatch.context() as env:  # one client asks many times here: no rate limit
        env.setenv("DOTHI_API_EXECUTE_RATE", "0")
        yield from _serve(demo_engine, demo_url, demo_data_dir, folder / "gunicorn.log")
    for name in ("t-http-pub", "t-http-private"):
        store.delete(demo_engine, name)


@pytest.fixture(scope="module")
def planner(demo_engine: Engine) -> str:
    from api_config.security.keys import create_key

    return create_key(demo_engine, "scenario-planner", "planner")[1]


def _run(base: str, inputs: dict[str, Any], token: str | None) -> requests.Response:
    headers = bearer(token) if token else {}
    return requests.post(
        f"{base}/processes/{PROCESS}/execution", json={"inputs": inputs}, headers=headers, timeout=300
    )


def test_anonymous_callers_may_not_evaluate(scenario_server: str) -> None:
    resp = _run(
        scenario_server, {"edits": {"type": "FeatureCollection", "features": [_school("a", *CENTRE)]}}, None
    )
    assert resp.status_code == 401


def test_inline_school_returns_changes_per_city_ward_and_cell(scenario_server: str, planner: str) -> None:
    edits = {"type": "FeatureCollection", "features": [_school("new-http", *CENTRE, capacity=500)]}
    resp = _run(scenario_server, {"edits": edits, "indicators": ["education_access"]}, planner)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["notice"] == SCENARIO_RESULT and body["synthetic_notice"] == SYNTHETIC_RESULT
    result = body["indicators"]["education_access"]
    assert result["method"] == "incremental"
    levels = {u["level"] for u in result["units"]}
    assert levels == {"city", "ward"}
    assert all(u["after"] >= u["before"] - 1e-9 for u in result["units"])
    cells = result["grid_cells"]["features"]
    assert cells and all(c["properties"]["change"] > 0 for c in cells)
    assert body["run_by"] == "scenario-planner"


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        (
            {"edits": {"type": "FeatureCollection", "features": [_school("x", *CENTRE, level="nursery")]}},
            "nursery",
        ),
        (
            {"edits": {"type": "FeatureCollection", "features": [_school("x", 100.0, 10.0)]}},
            "outside the study area mytho",
        ),
        (
            {
                "edits": {
                    "type": "FeatureCollection",
                    "features": [{**_school("x", *CENTRE), "properties": {}}],
                }
            },
            "layer",
        ),
        ({"edits": {"type": "Point", "coordinates": [1, 2]}}, "FeatureCollection"),
        (
            {
                "edits": {
                    "type": "FeatureCollection",
                    "features": [_school(f"x{i}", *CENTRE) for i in range(201)],
                }
            },
            "200",
        ),
        ({"scenario": "no-such-scenario"}, "no-such-scenario"),
        ({"edits": _collection(_school("x", *CENTRE)), "grid_geometry": "yes"}, "grid_geometry"),
        ({"edits": _collection(_school("x", *CENTRE)), "grid_geometry": 1}, "grid_geometry"),
        ({"scenario": "t-http-pub", "publish": "false"}, "publish"),
        ({}, "edits"),
    ],
)
def test_bad_requests_are_400_naming_the_problem(
    scenario_server: str, planner: str, inputs: dict[str, Any], words: str
) -> None:
    resp = _run(scenario_server, inputs, planner)
    assert resp.status_code == 400, resp.text
    assert words in resp.json()["description"]


def test_saved_scenario_by_name_answers_what_its_stored_results_hold(
    scenario_server: str, planner: str
) -> None:
    resp = _run(scenario_server, {"scenario": "t-http-pub", "indicators": ["education_access"]}, planner)
    assert resp.status_code == 200, resp.text
    answer = resp.json()["indicators"]["education_access"]
    assert answer["units"]
    rows = {(u["level"], u["unit_id"]): u["after"] for u in answer["units"]}
    rows |= {
        ("grid", f["properties"]["unit_id"]): f["properties"]["after"]
        for f in answer["grid_cells"]["features"]
    }
    stored = requests.get(
        f"{scenario_server}/collections/scenario-results/items",
        params={"scenario": "t-http-pub", "indicator_id": "education_access", "limit": 1000},
        timeout=60,
    ).json()["features"]
    assert {
        (f["properties"]["level"], f["properties"]["unit_id"]): f["properties"]["after"] for f in stored
    } == rows


def _postgres_round(engine: Engine, values: list[Any], digits: int) -> list[float | None]:
    """``values`` rounded by PostgreSQL as the published views round them (non-finite: no value)."""
    clean = [float(v) if v is not None and math.isfinite(v) else None for v in values]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT round(v::numeric, %(d)s)::double precision "
            "FROM unnest(%(v)s::double precision[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
            {"v": clean, "d": digits},
        )
        return [r[0] for r in cur.fetchall()]


def test_answer_holds_exactly_the_rows_whose_published_values_change(
    scenario_server: str, planner: str, demo_engine: Engine, demo_data_dir: Path
) -> None:
    """A clinic with beds moves the 2SFCA ratio of many cells a little: the answer lists the rows
    whose values change once rounded as published, compared with a full recomputation here."""
    edits = _collection(_clinic("new-beds", *CENTRE))
    resp = _run(scenario_server, {"edits": edits, "indicators": ["health_beds_2sfca"]}, planner)
    assert resp.status_code == 200, resp.text
    answer = resp.json()["indicators"]["health_beds_2sfca"]
    got = {(u["level"], u["unit_id"]): u for u in answer["units"]}
    got |= {("grid", f["properties"]["unit_id"]): f["properties"] for f in answer["grid_cells"]["features"]}

    spec = get_indicator("health_beds_2sfca")
    before, after = recompute(
        demo_engine, spec, validate_edits(demo_engine, parse_edits(edits)), data_dir=demo_data_dir
    )
    before = before.set_index(["level", "unit_id"])
    after = after.set_index(["level", "unit_id"]).reindex(before.index)
    reals = [c.name for c in spec.result_columns if c.type == "real"]
    rounded = {
        c: (
            _postgres_round(demo_engine, before[c].tolist(), spec.digits(c)),
            _postgres_round(demo_engine, after[c].tolist(), spec.digits(c)),
        )
        for c in reals
    }
    changed = np.zeros(len(before), dtype=bool)
    moved = np.zeros(len(before), dtype=bool)
    for c, (x, y) in rounded.items():
        changed |= np.array([a != b for a, b in zip(x, y, strict=True)])
        b, a = before[c].to_numpy(dtype=float), after[c].to_numpy(dtype=float)
        moved |= ~np.isclose(b, a, rtol=0, atol=1e-9, equal_nan=True)
    assert set(got) == set(before.index[changed])
    assert moved.sum() > changed.sum()  # some rows move by less than the published precision: left out
    value = spec.value_column
    for n in np.flatnonzero(changed):
        row = got[before.index[n]]
        assert (row["before"], row["after"]) == (rounded[value][0][n], rounded[value][1][n])
        assert row["values"] == {c: rounded[c][1][n] for c in reals}
        if row["before"] is not None and row["after"] is not None:
            assert row["change"] == pytest.approx(row["after"] - row["before"], abs=1e-9)


def test_grid_cells_come_without_polygons_unless_asked(scenario_server: str, planner: str) -> None:
    inputs = {"edits": _collection(_school("new-geom", *CENTRE)), "indicators": ["education_access"]}
    lean = _run(scenario_server, inputs, planner)
    full = _run(scenario_server, {**inputs, "grid_geometry": True}, planner)
    assert lean.status_code == 200 and full.status_code == 200, (lean.text, full.text)
    cells = lean.json()["indicators"]["education_access"]["grid_cells"]
    shapes = full.json()["indicators"]["education_access"]["grid_cells"]
    assert cells["features"] and all(f["geometry"] is None for f in cells["features"])
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in shapes["features"])
    assert [(f["id"], f["properties"]) for f in cells["features"]] == [
        (f["id"], f["properties"]) for f in shapes["features"]
    ]
    assert (cells["collection"], cells["join"], cells["grid_geometry"]) == (
        "education_access-grid",
        "unit_id",
        False,
    )
    assert len(lean.content) < len(full.content)
    # the link joins a cell of the answer to its polygon in the grid collection
    items = next(link["href"] for link in cells["links"] if link["rel"] == "items")
    assert items == f"{scenario_server}/collections/education_access-grid/items"
    first, polygon = cells["features"][0], shapes["features"][0]["geometry"]
    published = requests.get(f"{items}/{first['id']}", params={"f": "json"}, timeout=60)
    assert published.status_code == 200, published.text
    assert published.json()["properties"]["unit_id"] == first["properties"]["unit_id"]
    assert shape(published.json()["geometry"]).hausdorff_distance(shape(polygon)) < 1e-5


def test_anonymous_readers_see_published_scenarios_only(scenario_server: str) -> None:
    url = f"{scenario_server}/collections/scenario-results/items"
    pub = requests.get(url, params={"scenario": "t-http-pub", "limit": 1000}, timeout=60)
    assert pub.status_code == 200, pub.text
    features = pub.json()["features"]
    assert features
    props = features[0]["properties"]
    assert SCENARIO_RESULT["vi"] in props["notice_vi"] and SCENARIO_RESULT["en"] in props["notice_en"]
    assert SYNTHETIC_RESULT["en"] in props["notice_en"]
    private = requests.get(url, params={"scenario": "t-http-private"}, timeout=60)
    assert private.status_code == 200 and private.json()["features"] == []
    for lang in ("vi", "en"):
        meta = requests.get(
            f"{scenario_server}/collections/scenario-results", params={"f": "json", "lang": lang}, timeout=60
        )
        assert SCENARIO_RESULT[lang] in meta.json()["description"]
