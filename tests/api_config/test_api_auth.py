"""Authentication and authorisation of everything that computes or writes (issue 11, item 3).

Real gunicorn server on the test database; keys created with :mod:`api_config.security.keys`.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from api_config.security.identity import CURRENT, Identity
from api_config.security.jobs import visible
from api_config.security.keys import create_key, key_id_of, new_token, revoke_key
from tests.conftest import bearer

PROCESS = "population_density-run"
EXECUTE = f"/processes/{PROCESS}/execution"


def _execute(api_server: str, token: str | None, *, prefer_async: bool = False) -> requests.Response:
    headers = bearer(token) if token else {}
    if prefer_async:
        headers["Prefer"] = "respond-async"
    return requests.post(f"{api_server}{EXECUTE}", json={"inputs": {}}, headers=headers, timeout=120)


def _assert_401(resp: requests.Response, *, invalid_token: bool = False) -> None:
    assert resp.status_code == 401, resp.text
    challenge = resp.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert ('error="invalid_token"' in challenge) is invalid_token
    body = resp.json()
    assert body["code"] == "Unauthorized"
    if invalid_token:
        assert "không hợp lệ" in body["description"] and "invalid or revoked" in body["description"]
    else:
        assert "Cần xác thực" in body["description"] and "Authentication required" in body["description"]


def _wait(api_server: str, job: str, token: str) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while True:
        status = requests.get(
            f"{api_server}/jobs/{job}", params={"f": "json"}, headers=bearer(token), timeout=30
        )
        assert status.status_code == 200, status.text
        if status.json()["status"] in ("successful", "failed") or time.monotonic() > deadline:
            return dict(status.json())
        time.sleep(0.3)


def _submit(api_server: str, token: str) -> str:
    resp = _execute(api_server, token, prefer_async=True)
    assert resp.status_code == 201, resp.text
    job = resp.headers["Location"].rsplit("/", 1)[-1]
    assert _wait(api_server, job, token)["status"] == "successful"
    return job


def test_anonymous_execution_is_401(api_server: str, loaded: Engine) -> None:
    with loaded.connect() as conn:
        before = conn.execute(sa.text("SELECT count(*) FROM public.jobs")).scalar()
    _assert_401(_execute(api_server, None))
    _assert_401(_execute(api_server, None, prefer_async=True))
    with loaded.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM public.jobs")).scalar() == before  # no job


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/jobs"),
        ("GET", "/jobs?f=html"),
        ("GET", "//jobs"),  # Werkzeug merges slashes when routing
        ("GET", "/jobs/"),
        ("GET", "/%6Aobs"),
        ("GET", "///jobs//some-job//results"),
        ("POST", "//processes//population_density-run/execution"),
        ("POST", "/processes/population_density-run/execution/"),
        ("HEAD", "/jobs"),
        ("GET", "/jobs/some-job"),
        ("GET", "/jobs/some-job/results"),
        ("DELETE", "/jobs/some-job"),
        ("PUT", "/collections/admin_units/items/1"),
        ("DELETE", "/collections/admin_units/items/1"),
        ("POST", "/collections/admin_units/items"),  # a GeoJSON feature to create
    ],
)
def test_anonymous_jobs_and_writes_are_401(api_server: str, method: str, path: str) -> None:
    headers = {"Content-Type": "application/geo+json"} if method == "POST" else {}
    resp = requests.request(method, f"{api_server}{path}", headers=headers, data=b"{}", timeout=30)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer ")


def test_anonymous_reads_stay_open(api_server: str) -> None:
    assert requests.get(f"{api_server}/collections/admin_units/items?f=json", timeout=30).status_code == 200
    assert requests.get(f"{api_server}/processes?f=json", timeout=30).status_code == 200
    assert requests.get(f"{api_server}/processes/{PROCESS}?f=json", timeout=30).status_code == 200


def test_wrong_and_revoked_keys_are_401(api_server: str, loaded: Engine) -> None:
    _key, token = create_key(loaded, "carol-revoked", "planner")
    assert _execute(api_server, token).status_code == 200
    revoke_key(loaded, "carol-revoked")
    forged = f"dothi_{key_id_of(token)}_{new_token()[1].rsplit('_', 1)[-1]}"  # right id, wrong secret
    for wrong in (token, forged, new_token()[1], "not-a-dothi-key", token + "x"):
        _assert_401(_execute(api_server, wrong), invalid_token=True)
    resp = requests.get(f"{api_server}/jobs", headers={"Authorization": f"Basic {token}"}, timeout=30)
    _assert_401(resp)  # only the Bearer scheme is accepted


def test_submitter_is_recorded(api_server: str, loaded: Engine, api_keys: dict[str, str]) -> None:
    job = _submit(api_server, api_keys["alice"])
    with loaded.connect() as conn:
        owner = conn.execute(
            sa.text("SELECT key_name, role FROM auth.job_owners WHERE job_id = :j"), {"j": job}
        ).one()
        used = conn.execute(sa.text("SELECT last_used_at FROM auth.api_keys WHERE name = 'alice'")).scalar()
    assert tuple(owner) == ("alice", "planner")
    assert used is not None
    result = requests.get(
        f"{api_server}/jobs/{job}/results?f=json", headers=bearer(api_keys["alice"]), timeout=30
    )
    assert result.json()["run"]["run_by"] == "alice"


def test_planners_see_only_their_own_jobs(api_server: str, api_keys: dict[str, str]) -> None:
    alice, bob, ana = (api_keys[n] for n in ("alice", "bob", "ana"))
    job = _submit(api_server, alice)
    for path in (f"/jobs/{job}", f"/jobs/{job}/results"):
        refused = requests.get(f"{api_server}{path}?f=json", headers=bearer(bob), timeout=30)
        assert refused.status_code == 403, refused.text
        description = refused.json()["description"]
        assert "không phải của bạn" in description and "is not yours (bob, role planner)" in description
    assert requests.delete(f"{api_server}/jobs/{job}", headers=bearer(bob), timeout=30).status_code == 403

    def listed(token: str) -> set[str]:
        body = requests.get(f"{api_server}/jobs?f=json&limit=1000", headers=bearer(token), timeout=30).json()
        return {j["jobID"] for j in body["jobs"]}

    assert job in listed(alice) and job not in listed(bob) and job in listed(ana)
    assert requests.get(f"{api_server}/jobs/{job}?f=json", headers=bearer(ana), timeout=30).status_code == 200
    deleted = requests.delete(f"{api_server}/jobs/{job}", headers=bearer(alice), timeout=30)
    assert deleted.status_code in (200, 204), deleted.text
    assert job not in listed(alice)


def test_job_listing_fails_closed_without_identity(loaded: Engine, api_keys: dict[str, str]) -> None:
    """Should a request ever reach the job manager unauthenticated, it lists no job."""
    listing = {"jobs": [{"identifier": "a"}], "numberMatched": 1}
    assert visible(loaded, listing) == {"jobs": [], "numberMatched": 0}
    token = CURRENT.set(Identity("ana", "analyst"))
    try:
        assert visible(loaded, listing) == listing
    finally:
        CURRENT.reset(token)


def test_analyst_may_delete_any_job(api_server: str, api_keys: dict[str, str]) -> None:
    job = _submit(api_server, api_keys["bob"])
    deleted = requests.delete(f"{api_server}/jobs/{job}", headers=bearer(api_keys["ana"]), timeout=30)
    assert deleted.status_code in (200, 204), deleted.text
    gone = requests.get(f"{api_server}/jobs/{job}?f=json", headers=bearer(api_keys["ana"]), timeout=30)
    assert gone.status_code == 404


def test_api_roles_cannot_read_the_digests(loaded: Engine, api_keys: dict[str, str]) -> None:
    """A member of the API's roles resolves a token through ``auth.identify`` but cannot SELECT
    the digests."""
    token = api_keys["ana"]
    with loaded.begin() as conn:
        conn.execute(sa.text("DROP ROLE IF EXISTS dothi_auth_probe"))
        conn.execute(sa.text("CREATE ROLE dothi_auth_probe NOLOGIN IN ROLE dothi_reader"))
    try:
        with loaded.connect() as conn:
            conn.execute(sa.text("SET ROLE dothi_auth_probe"))
            found = conn.execute(
                sa.text("SELECT name, role FROM auth.identify(:k, :d)"),
                {"k": key_id_of(token), "d": hashlib.sha256(token.encode()).digest()},
            ).one()
            assert tuple(found) == ("ana", "analyst")
            wrong = conn.execute(
                sa.text("SELECT count(*) FROM auth.identify(:k, :d)"),
                {"k": key_id_of(token), "d": hashlib.sha256(b"guess").digest()},
            ).scalar()
            assert wrong == 0
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text("SELECT token_sha256 FROM auth.api_keys"))
            conn.rollback()
    finally:
        with loaded.begin() as conn:
            conn.execute(sa.text("DROP ROLE dothi_auth_probe"))


def test_openapi_declares_the_key(api_server: str) -> None:
    doc = requests.get(f"{api_server}/openapi?f=json", timeout=60).json()
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "API key from `dothi api-key create` (Authorization: Bearer dothi_…).",
    }
    execute = doc["paths"][EXECUTE]["post"]
    assert execute["security"] == [{"bearerAuth": []}] and "401" in execute["responses"]
    assert "403" in doc["paths"]["/jobs/{jobId}"]["delete"]["responses"]
    assert "security" not in doc["paths"]["/collections/admin_units/items"]["get"]
