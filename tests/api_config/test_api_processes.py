"""OGC API – Processes: indicators as processes, sync and async, jobs kept in PostgreSQL."""

from __future__ import annotations

import time

import requests
import sqlalchemy as sa
from owslib.ogcapi.processes import Processes
from sqlalchemy.engine import Engine

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


def test_sync_execution_with_area_of_interest(api_server: str, loaded: Engine) -> None:
    resp = requests.post(
        f"{api_server}/processes/{PROCESS}/execution",
        json={"inputs": {"area_of_interest": CENTRE}},
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
    assert body["run"]["run_id"] >= 1


def test_bad_process_inputs_are_400(api_server: str) -> None:
    for inputs in ({"census_vintage": "abc"}, {"nope": 1}, {"area_of_interest": {"type": "Circle"}}):
        resp = requests.post(
            f"{api_server}/processes/{PROCESS}/execution", json={"inputs": inputs}, timeout=60
        )
        assert resp.status_code == 400, inputs
        assert resp.json()["description"], inputs


def test_async_job_is_stored_in_postgresql(api_server: str, loaded: Engine) -> None:
    resp = requests.post(
        f"{api_server}/processes/{PROCESS}/execution",
        json={"inputs": {"census_vintage": 2019}},
        headers={"Prefer": "respond-async"},
        timeout=60,
    )
    assert resp.status_code == 201, resp.text
    job = resp.headers["Location"].rsplit("/", 1)[-1]
    deadline = time.monotonic() + 90
    status = None
    while time.monotonic() < deadline:
        status = requests.get(f"{api_server}/jobs/{job}", params={"f": "json"}, timeout=30).json()["status"]
        if status in ("successful", "failed"):
            break
        time.sleep(0.5)
    assert status == "successful"
    with loaded.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT status FROM public.jobs WHERE identifier = :j"), {"j": job}
        ).scalar()
    assert stored == "successful"
    result = requests.get(f"{api_server}/jobs/{job}/results", params={"f": "json"}, timeout=30)
    assert result.status_code == 200 and result.json()["type"] == "FeatureCollection"


def test_owslib_executes_the_process(api_server: str) -> None:
    out = Processes(api_server).execute(PROCESS, inputs={"area_of_interest": CENTRE}, response="raw")
    assert out["type"] == "FeatureCollection" and out["features"]
