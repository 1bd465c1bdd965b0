"""OGC API – Processes: indicators as processes, sync and async, jobs kept in PostgreSQL.

Executing needs an API key (tests/api_config/test_api_auth.py tests who may do what)."""

from __future__ import annotations

import time

import requests
import sqlalchemy as sa
from owslib.ogcapi.processes import Processes
from sqlalchemy.engine import Engine

from tests.conftest import bearer

PROCESS = "population_density-run"
CENTRE = {"type": "Point", "coordinates": [106.36, 10.353]}


def test_every_indicator_is_a_process(api_server: str) -> None:
    from analysis.registry import INDICATORS

    body = requests.get(f"{api_server}/processes", params={"f": "json", "limit": 100}, timeout=30).json()
    listed = {p["id"] for p in body["processes"]}
    assert {f"{i}-run" for i in INDICATORS} <= listed
    desc = Processes(api_server).process(PROCESS)
    assert {"census_vintage", "area_of_interest"} <= set(desc["inputs"])
    assert {"sync-execute", "async-execute"} <= set(desc["jobControlOptions"])


def test_sync_execution_with_area_of_interest(
    api_server: str, loaded: Engine, api_keys: dict[str, str]
) -> None:
    resp = requests.post(
        f"{api_server}/processes/{PROCESS}/execution",
        json={"inputs": {"area_of_interest": CENTRE}},
        headers=bearer(api_keys["alice"]),
        timeout=120,
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    query = sa.text(
        "SELECT count(*) FROM analysis.population_density "
        "WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(106.36, 10.353), 4326))"
    )
    with loaded.connect() as conn:
        expected = conn.execute(query).scalar()
    assert body["numberReturned"] == expected >= 1
    assert any(link["rel"] == "collection" for link in body["links"])
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[106.3, 10.3], [106.4, 10.4], [106.4, 10.3], [106.3, 10.4], [106.3, 10.3]]],
    }
    crossed = requests.post(
        f"{api_server}/processes/{PROCESS}/execution",
        json={"inputs": {"area_of_interest": bowtie}},
        headers=bearer(api_keys["alice"]),
        timeout=120,
    )
    assert crossed.status_code == 200 and crossed.json()["numberReturned"] >= 1  # invalid ring repaired
    run = body["run"]
    assert run["run_by"] == "alice" and run["published"] is False
    assert run["parameters"] == {"census_vintage": None} and run["indicator_id"] == "population_density"
    with loaded.connect() as conn:
        published = conn.execute(
            sa.text("SELECT max(run_id) FROM analysis.indicator_runs WHERE indicator_id = :i"),
            {"i": "population_density"},
        ).scalar()
    assert run["published_run_id"] == published  # same inputs and parameters as the published run
    assert run["synthetic"] is False and run["synthetic_inputs"] == [] and "notice" not in body
    values = [f["properties"]["density_per_km2"] for f in body["features"]]
    assert values and all(v == round(v) for v in values)  # published precision: whole people/km²
    assert any(f["properties"]["area_km2"] != round(f["properties"]["area_km2"], 2) for f in body["features"])


def test_bad_process_inputs_are_400(api_server: str, api_keys: dict[str, str]) -> None:
    bad = (
        {"census_vintage": "abc"},
        {"nope": 1},
        {"area_of_interest": {"type": "Circle"}},
        {"area_of_interest": {"type": "Polygon", "coordinates": [[1, 2]]}},
    )
    for inputs in bad:
        resp = requests.post(
            f"{api_server}/processes/{PROCESS}/execution",
            json={"inputs": inputs},
            headers=bearer(api_keys["alice"]),
            timeout=60,
        )
        assert resp.status_code == 400, inputs
        assert resp.json()["description"], inputs


def test_async_job_is_stored_in_postgresql(api_server: str, loaded: Engine, api_keys: dict[str, str]) -> None:
    auth = bearer(api_keys["alice"])
    resp = requests.post(
        f"{api_server}/processes/{PROCESS}/execution",
        json={"inputs": {"census_vintage": 2019}},
        headers={"Prefer": "respond-async", **auth},
        timeout=60,
    )
    assert resp.status_code == 201, resp.text
    job = resp.headers["Location"].rsplit("/", 1)[-1]
    deadline = time.monotonic() + 90
    status = None
    while time.monotonic() < deadline:
        answer = requests.get(f"{api_server}/jobs/{job}", params={"f": "json"}, headers=auth, timeout=30)
        status = answer.json()["status"]
        if status in ("successful", "failed"):
            break
        time.sleep(0.5)
    assert status == "successful"
    with loaded.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT status FROM public.jobs WHERE identifier = :j"), {"j": job}
        ).scalar()
    assert stored == "successful"
    result = requests.get(f"{api_server}/jobs/{job}/results", params={"f": "json"}, headers=auth, timeout=30)
    assert result.status_code == 200 and result.json()["type"] == "FeatureCollection"
    assert result.json()["run"]["run_by"] == "alice"


def test_owslib_executes_the_process(api_server: str, api_keys: dict[str, str]) -> None:
    client = Processes(api_server, headers=bearer(api_keys["ana"]))
    out = client.execute(PROCESS, inputs={"area_of_interest": CENTRE}, response="raw")
    assert out["type"] == "FeatureCollection" and out["features"]
