"""``scenario-evaluate`` and the ``scenario-results`` collection over real HTTP on the demo database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from shapely.geometry import Point
from sqlalchemy.engine import URL, Engine

from analysis.scenarios import store
from analysis.scenarios.edits import Edit
from analysis.scenarios.evaluate import evaluate_edits
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
            "outside the city",
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
        ({}, "edits"),
    ],
)
def test_bad_requests_are_400_naming_the_problem(
    scenario_server: str, planner: str, inputs: dict[str, Any], words: str
) -> None:
    resp = _run(scenario_server, inputs, planner)
    assert resp.status_code == 400, resp.text
    assert words in resp.json()["description"]


def test_saved_scenario_by_name(scenario_server: str, planner: str) -> None:
    resp = _run(scenario_server, {"scenario": "t-http-pub", "indicators": ["education_access"]}, planner)
    assert resp.status_code == 200, resp.text
    assert resp.json()["indicators"]["education_access"]["units"]


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
