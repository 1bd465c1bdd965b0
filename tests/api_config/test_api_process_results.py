"""A process run never replaces the published results (issue 11, item 3): it returns its own.

The issue's reproduction: walkability with ``radius_m=10`` used to overwrite the published values
(ward 5: 4.006 → 1.251).  Now the published collection is unchanged and the returned result
differs, with its own run metadata.
"""

from __future__ import annotations

from typing import Any

import requests
import sqlalchemy as sa
from sqlalchemy.engine import URL

from gis.engine import create_engine
from tests.conftest import bearer

PUBLISHED = sa.text("SELECT result_id, run_id, walkability FROM analysis.walkability ORDER BY result_id")
RUNS = sa.text("SELECT count(*) FROM analysis.indicator_runs")


def _published(url: URL) -> tuple[list[Any], int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(PUBLISHED)], int(conn.execute(RUNS).scalar() or 0)
    finally:
        engine.dispose()


def _api_values(api_server: str) -> dict[str, float]:
    items = requests.get(
        f"{api_server}/collections/walkability/items",
        params={"f": "json", "level": "ward", "limit": 100},
        timeout=60,
    ).json()
    return {f["id"]: f["properties"]["walkability"] for f in items["features"]}


def test_process_run_returns_its_own_result(demo_api_server: str, demo_url: URL, demo_api_key: str) -> None:
    before, runs_before = _published(demo_url)
    api_before = _api_values(demo_api_server)
    resp = requests.post(
        f"{demo_api_server}/processes/walkability-run/execution",
        json={"inputs": {"radius_m": 10}},
        headers=bearer(demo_api_key),
        timeout=300,
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    after, runs_after = _published(demo_url)
    assert after == before and runs_after == runs_before  # nothing published, no run recorded
    assert _api_values(demo_api_server) == api_before
    returned = {f["id"]: f["properties"]["walkability"] for f in body["features"] if f["id"] in api_before}
    assert returned.keys() == api_before.keys()
    assert returned != api_before  # a 10 m neighbourhood gives other values
    run = body["run"]
    assert run["parameters"]["radius_m"] == 10 and run["run_by"] == "notebooks"
    assert run["published"] is False and run["published_run_id"] is None
    assert len(run["fingerprint"]) == 64 and run["inputs"] and run["rows"] == body["numberMatched"]
