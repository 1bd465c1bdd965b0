"""The generated pygeoapi configuration connects with the API's logins, passwords outside the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, Engine

from api_config.config import ANALYST_PASSWORD_ENV, PASSWORD_ENV, build_config, write_config
from gis.logins import api_logins
from gis.settings import ApiSettings, DatabaseSettings


def _data_blocks(config: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Connection blocks by use: read paths, processes, job manager."""
    blocks: dict[str, list[dict[str, Any]]] = {"read": [], "process": [], "manager": []}
    for resource in config["resources"].values():
        for provider in resource.get("providers", []):
            if isinstance(provider.get("data"), dict):
                blocks["read"].append(provider["data"])
        if resource["type"] == "process":
            blocks["process"].append(resource["processor"]["data"])
    blocks["manager"].append(config["server"]["manager"]["connection"])
    return blocks


def test_read_paths_use_the_reader_and_jobs_the_analyst(
    loaded: Engine, test_url: URL, tmp_path: Path
) -> None:
    logins = api_logins(DatabaseSettings(), test_url)
    config = build_config(loaded, logins, ApiSettings(), data_dir=tmp_path)
    blocks = _data_blocks(config)
    assert all(blocks.values())
    reader = {(b["user"], b["password"], b["dbname"]) for b in blocks["read"]}
    analyst = {(b["user"], b["password"], b["dbname"]) for b in blocks["process"] + blocks["manager"]}
    assert reader == {("dothi_api", "${" + PASSWORD_ENV + "}", test_url.database)}
    assert analyst == {("dothi_jobs", "${" + ANALYST_PASSWORD_ENV + "}", test_url.database)}
    text = write_config(config, tmp_path / "config.yml").read_text(encoding="utf-8")
    for password in (logins.reader.password, logins.analyst.password, test_url.password):
        assert password and password not in text
    assert f"user: {test_url.username}\n" not in text  # the owner appears nowhere
