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
from sqlalchemy.engine import Engine

from api_config.config import build_config, password_env, validate, write_config
from api_config.oas import contract
from api_config.oas.bundle import bundle
from api_config.security.openapi import declare_security
from api_config.servers import worker_env
from api_config.styling.document import write_document as write_styles_document
from api_config.webmap import META_ENV, write_meta
from gis.errors import ConfigError
from gis.logins import ApiLogins, check_logins
from gis.settings import ApiSettings


@dataclass(frozen=True)
class ApiFiles:
    config: Path
    openapi: Path
    map_meta: Path | None = None


def api_dir(data_dir: Path) -> Path:
    return data_dir / "api"


def generate(engine: Engine, logins: ApiLogins, api: ApiSettings, data_dir: Path) -> ApiFiles:
    """Write the pygeoapi configuration and its OpenAPI document, both validated.

    ``engine`` is the owner's (what to publish); the API will connect with ``logins``, checked
    here: they must log in and must not be superusers.
    """
    check_logins(logins)
    folder = api_dir(data_dir)
    config = build_config(engine, logins, api, data_dir=data_dir)
    validate(config)
    files = ApiFiles(folder / "pygeoapi-config.yml", folder / "pygeoapi-openapi.yml")
    write_config(config, files.config)
    os.environ.update(password_env(logins))
    with files.config.open(encoding="utf-8") as fh:
        resolved = yaml_load(fh)
    document = get_oas(resolved, fail_on_invalid_collection=True)
    document = declare_security(contract.fix(bundle(complete_responses(document))))
    tmp = files.openapi.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(files.openapi)
    meta = write_meta(engine, api.url, folder)
    write_styles_document(engine, api.url, folder)  # OGC API – Styles (api_config.styling)
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


#: Settings the web workers read from the environment (api_config.wsgi builds ApiSettings).
WORKER_SETTINGS = (
    "request_budget_ms",
    "statement_timeout_ms",
    "max_body_bytes",
    "execute_rate",
    "trusted_proxies",
)


def server_env(files: ApiFiles, logins: ApiLogins, api: ApiSettings | None = None) -> dict[str, str]:
    """The web workers' environment; ``api`` passes the settings they read themselves."""
    env = dict(os.environ)
    if api is not None:
        env = worker_env(env, api.server)
        env.update({f"DOTHI_API_{name.upper()}": str(getattr(api, name)) for name in WORKER_SETTINGS})
    env.update(
        {
            "PYGEOAPI_CONFIG": str(files.config),
            "PYGEOAPI_OPENAPI": str(files.openapi),
            **password_env(logins),
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
        # threads: a cheap request is served while slow ones run (api_config.limits, docs)
        "--worker-class",
        "gthread",
        "--threads",
        str(api.threads),
        "--bind",
        f"{api.host}:{api.port}",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
        "api_config.wsgi:APP",
    ]
