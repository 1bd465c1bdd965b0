"""Serve the OGC API with pygeoapi under gunicorn (a production WSGI server with workers)."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pygeoapi.openapi import get_oas
from pygeoapi.util import yaml_load
from sqlalchemy.engine import URL, Engine

from api_config.config import PASSWORD_ENV, build_config, validate, write_config
from api_config.oas import contract
from api_config.oas.bundle import bundle
from api_config.webmap import META_ENV, write_meta
from gis.errors import ConfigError
from gis.settings import ApiSettings


@dataclass(frozen=True)
class ApiFiles:
    config: Path
    openapi: Path
    map_meta: Path | None = None


def api_dir(data_dir: Path) -> Path:
    return data_dir / "api"


def generate(engine: Engine, url: URL, api: ApiSettings, data_dir: Path) -> ApiFiles:
    """Write the pygeoapi configuration and its OpenAPI document, both validated."""
    folder = api_dir(data_dir)
    config = build_config(engine, url, api, data_dir=data_dir)
    validate(config)
    files = ApiFiles(folder / "pygeoapi-config.yml", folder / "pygeoapi-openapi.yml")
    write_config(config, files.config)
    os.environ[PASSWORD_ENV] = url.password or ""
    with files.config.open(encoding="utf-8") as fh:
        resolved = yaml_load(fh)
    document = contract.fix(bundle(complete_responses(get_oas(resolved, fail_on_invalid_collection=True))))
    tmp = files.openapi.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(files.openapi)
    meta = write_meta(engine, api.url, folder)
    return ApiFiles(files.config, files.openapi, meta)


def complete_responses(document: dict[str, Any]) -> dict[str, Any]:
    """Give every response object the ``description`` OpenAPI 3.0 requires.

    pygeoapi 0.24 omits it on the single-feature response of collections with a schema.
    """
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                if isinstance(response, dict) and "$ref" not in response:
                    response.setdefault("description", f"HTTP {code} response")
    return document


def server_env(files: ApiFiles, url: URL) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYGEOAPI_CONFIG": str(files.config),
            "PYGEOAPI_OPENAPI": str(files.openapi),
            PASSWORD_ENV: url.password or "",
        }
    )
    if files.map_meta is not None:
        env[META_ENV] = str(files.map_meta)
    return env


def gunicorn_command(api: ApiSettings) -> list[str]:
    """The gunicorn command line serving pygeoapi's Flask app behind dothi's request guard."""
    exe = Path(sys.executable).with_name("gunicorn")
    if not exe.is_file():
        found = shutil.which("gunicorn")
        if not found:
            raise ConfigError(
                "gunicorn is not installed in this environment.",
                hint="Run `make` to create the environment from uv.lock.",
            )
        exe = Path(found)
    return [
        str(exe),
        "--workers",
        str(api.workers),
        "--bind",
        f"{api.host}:{api.port}",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
        "api_config.wsgi:APP",
    ]
