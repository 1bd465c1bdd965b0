"""``dothi api-key create|list|revoke`` and the key format (tokens never stored)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from api_config.security import keys
from api_config.security.errors import ApiKeyError
from api_config.security.identity import Identity


def _run(cli: list[str], url: URL, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DOTHI_DB_NAME=str(url.database))
    if os.environ.get("DOTHI_DATABASE_URL"):
        env["DOTHI_DATABASE_URL"] = url.render_as_string(hide_password=False)
    return subprocess.run([*cli, *args], capture_output=True, text=True, timeout=120, env=env)


def test_tokens_are_random_and_well_formed() -> None:
    tokens = {keys.new_token()[1] for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert keys.key_id_of(token) == token.split("_")[1] and len(token) == len("dothi_") + 12 + 1 + 43
    assert keys.key_id_of("dothi_nothex000000_" + "a" * 43) is None
    assert keys.key_id_of("Bearer dothi") is None


def test_cli_creates_lists_and_revokes(dothi_cli: list[str], test_url: URL, loaded: Engine) -> None:
    created = _run(dothi_cli, test_url, "api-key", "create", "cli-planner", "--role", "planner", "--json")
    assert created.returncode == 0, created.stderr
    info = json.loads(created.stdout)
    token = info["token"]
    assert info["name"] == "cli-planner" and info["role"] == "planner" and token.startswith("dothi_")
    with loaded.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT token_sha256 FROM auth.api_keys WHERE name = 'cli-planner'")
        ).scalar()
        dump = conn.execute(sa.text("SELECT row_to_json(k)::text FROM auth.api_keys k")).scalars().all()
    assert bytes(stored) == hashlib.sha256(token.encode()).digest()
    assert not any(token in row or token.rsplit("_", 1)[-1] in row for row in dump)  # never the secret
    assert keys.identify(loaded, token) == Identity("cli-planner", "planner")

    again = _run(dothi_cli, test_url, "api-key", "create", "cli-planner", "--role", "analyst")
    assert again.returncode == 30 and "already exists" in again.stderr and "đã tồn tại" in again.stderr
    listed = json.loads(_run(dothi_cli, test_url, "--json", "api-key", "list").stdout)
    mine = next(k for k in listed if k["name"] == "cli-planner")
    assert "token" not in mine and mine["revoked_at"] is None
    assert "cli-planner" in _run(dothi_cli, test_url, "api-key", "list").stdout

    revoked = _run(dothi_cli, test_url, "api-key", "revoke", "cli-planner", "--json")
    assert revoked.returncode == 0 and json.loads(revoked.stdout)["revoked_at"]
    assert keys.identify(loaded, token) is None
    text = _run(dothi_cli, test_url, "api-key", "list").stdout
    assert "REVOKED" in next(line for line in text.splitlines() if line.startswith("cli-planner"))
    unknown = _run(dothi_cli, test_url, "api-key", "revoke", "nobody-here")
    assert unknown.returncode == 30 and "no API key named 'nobody-here'" in unknown.stderr


@pytest.mark.parametrize(("name", "role"), [("bad name", "planner"), ("x" * 65, "planner"), ("ok", "admin")])
def test_bad_names_and_roles_are_refused(loaded: Engine, name: str, role: str) -> None:
    with pytest.raises(ApiKeyError):
        keys.create_key(loaded, name, role)
