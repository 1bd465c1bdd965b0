"""The HTTP server ``dothi serve`` runs the WSGI app under: granian (default) or gunicorn.

Both run ``api_config.wsgi:APP`` — the same guards, authentication, limits and lean paths — with
``DOTHI_API_WORKERS`` processes of ``DOTHI_API_THREADS`` request threads each; they differ in what
the server itself costs per request.  Measured on the single-feature case (bench/RESULTS.md,
"One node first"): a WSGI app answering a constant 5 bytes gets ≈ 5,000 req/s from gunicorn
``gthread`` against ≈ 26,000 from granian (Rust HTTP stack, Python only for the app), so on a
0.1 ms primary-key lookup gunicorn itself is most of the time of a request.

``DOTHI_API_SERVER=gunicorn`` keeps the previous server (gthread workers, ``--timeout 120``).

granian copies the process environment into every request's WSGI ``environ`` (request headers
override it).  An ``HTTP_*`` or CGI variable in the server's environment would thus read as a
request header a client never sent (``HTTP_AUTHORIZATION``, ``HTTP_X_FORWARDED_FOR``…):
:func:`worker_env` removes them from the workers' environment.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from gis.errors import ConfigError
from gis.settings import ApiSettings

SERVERS = ("granian", "gunicorn")
#: CGI / WSGI request variables (PEP 3333) that must come from the request only.
_REQUEST_KEYS = frozenset(
    {
        "AUTH_TYPE",
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "GATEWAY_INTERFACE",
        "PATH_INFO",
        "PATH_TRANSLATED",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REMOTE_HOST",
        "REMOTE_IDENT",
        "REMOTE_USER",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
    }
)


def executable(name: str) -> str:
    """The server's executable next to this interpreter (the project's venv), else on PATH."""
    exe = Path(sys.executable).with_name(name)
    if exe.is_file():
        return str(exe)
    found = shutil.which(name)
    if not found:
        raise ConfigError(
            f"{name} is not installed in this environment.",
            hint="Run `make` to create the environment from uv.lock.",
        )
    return found


def command(api: ApiSettings) -> list[str]:
    """The command line serving the API with the server ``api.server`` names."""
    if api.server == "gunicorn":
        from api_config.server import gunicorn_command  # noqa: PLC0415 - avoids an import cycle

        return gunicorn_command(api)
    return granian_command(api)


def granian_command(api: ApiSettings) -> list[str]:
    """granian serving the WSGI app: ``api.workers`` processes of ``api.threads`` threads each,
    HTTP/1.1 keep-alive.  The access log is the app's (api_config.guard.accesslog), not granian's:
    granian's costs ≈ 90 µs of CPU a request."""
    return [
        executable("granian"),
        "--interface",
        "wsgi",
        "--workers",
        str(api.workers),
        "--blocking-threads",
        str(api.threads),
        "--host",
        api.host,
        "--port",
        str(api.port),
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "10",
        "--log-level",
        "warning",
        "--no-ws",
        "api_config.wsgi:APP",
    ]


def worker_env(env: dict[str, str], server: str) -> dict[str, str]:
    """``env`` without what granian would read as request data (see the module's docstring)."""
    if server != "granian":
        return env
    return {k: v for k, v in env.items() if not k.startswith(("HTTP_", "wsgi.")) and k not in _REQUEST_KEYS}
