"""The command line: help, JSON output, errors with exit codes, db status truth."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from sqlalchemy.engine import Engine


def _run(cli: list[str], *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cli, *args], capture_output=True, text=True, timeout=300, env=env)


def test_help_lists_the_verbs_of_the_job(dothi_cli: list[str]) -> None:
    out = _run(dothi_cli, "--help")
    assert out.returncode == 0
    for verb in ("db", "load", "layers", "indicators", "serve", "demo", "api"):
        assert f"  {verb}" in out.stdout
    db_help = _run(dothi_cli, "db", "--help").stdout
    for verb in ("up", "down", "status", "url", "psql", "migrate", "roles"):
        assert verb in db_help


def test_indicators_list_json(dothi_cli: list[str]) -> None:
    out = _run(dothi_cli, "--json", "indicators", "list")
    rows = json.loads(out.stdout)
    assert rows[0]["id"] == "population_density" and rows[0]["unit"] == "people/km²"


def test_unknown_indicator_is_a_clear_error(dothi_cli: list[str]) -> None:
    out = _run(dothi_cli, "indicators", "show", "happiness")
    assert out.returncode != 0
    assert "Unknown indicator 'happiness'" in out.stderr and "population_density" in out.stderr


def test_db_status_on_the_running_cluster(dothi_cli: list[str], test_url, loaded: Engine) -> None:
    import os

    env = dict(os.environ, DOTHI_DB_NAME=str(test_url.database))
    out = _run(dothi_cli, "--json", "db", "status", env=env)
    info = json.loads(out.stdout)
    assert out.returncode == 0 and info["state"] == "running"
    assert info["revisions"] == info["heads"] and not info["detail"]
    env["DOTHI_DB_NAME"] = "never_created"
    out = _run(dothi_cli, "--json", "db", "status", env=env)
    info = json.loads(out.stdout)
    assert info["state"] == "running" and info["revisions"] == []
    assert "dothi db up" in info["detail"]


def test_external_url_is_used_and_db_up_says_so(dothi_cli: list[str], test_url, loaded) -> None:
    import os

    env = dict(os.environ)
    env["DOTHI_DATABASE_URL"] = test_url.render_as_string(hide_password=False)
    down = _run(dothi_cli, "db", "down", env=env)
    assert down.returncode == 0 and "external server" in down.stdout
    shown = _run(dothi_cli, "--json", "indicators", "show", "population_density", "--level", "city", env=env)
    rows = json.loads(shown.stdout)
    assert {r["unit_id"] for r in rows} == {"2019-city", "2025-city"}
    env["DOTHI_DATABASE_URL"] = "postgresql://nobody:x@127.0.0.1:1/none"
    status = _run(dothi_cli, "--json", "db", "status", env=env)
    assert status.returncode == 3 and json.loads(status.stdout)["state"] == "unreachable"


#: Libraries that ``dothi --help`` must not load (they cost seconds; commands import them lazily).
HEAVY = ("geopandas", "pandas", "pygeoapi", "sqlalchemy", "alembic", "layers.synthetic")

_HELP_IMPORTS = """
import json, sys
from api_config.cli import main
sys.argv = ["dothi", "--help"]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY
                  or m == "layers.synthetic" or m.startswith("layers.synthetic."))}))
"""


def test_help_imports_no_heavy_library(dothi_cli: list[str]) -> None:
    code = f"HEAVY = {HEAVY!r}\n{_HELP_IMPORTS}"
    out = subprocess.run([dothi_cli[0], "-c", code], capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    assert "Usage: dothi" in out.stdout
    assert report["loaded"] == []


def _command_paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the tree (``dothi load`` wraps the original group: both are walked)."""
    paths = []
    children = dict(getattr(group, "commands", {}))
    original = getattr(group, "original", None)
    children |= dict(getattr(original, "commands", {}))
    for name, command in sorted(children.items()):
        paths.append((*prefix, name))
        paths += _command_paths(command, (*prefix, name))
    return paths


def test_every_command_has_working_help() -> None:
    from click.testing import CliRunner

    from api_config.cli import cli

    paths = _command_paths(cli)
    assert {("db", "status"), ("load", "layer"), ("load", "raster"), ("export",), ("serve",)} <= set(paths)
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output and path[-1] in result.output, path
    # choices declared in the heavy modules are still offered and enforced
    assert "replace|append|upsert" in runner.invoke(cli, ["load", "layer", "--help"]).output
    assert "gpkg|geojson" in runner.invoke(cli, ["export", "--help"]).output
    bad = runner.invoke(cli, ["export", "admin_units", "out.x", "--format", "nope"])
    assert bad.exit_code == 2 and "'nope' is not one of 'gpkg'" in bad.output
