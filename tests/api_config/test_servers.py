"""The server command lines of ``dothi serve`` (api_config.servers)."""

from __future__ import annotations

import pytest

from api_config import servers
from gis.settings import ApiSettings


def test_granian_is_the_default_with_workers_and_threads() -> None:
    cmd = servers.command(ApiSettings(port=5999, workers=3, threads=5))
    assert "granian" in cmd[0]
    assert cmd[cmd.index("--workers") + 1] == "3"
    assert cmd[cmd.index("--blocking-threads") + 1] == "5"
    assert cmd[cmd.index("--port") + 1] == "5999"
    assert "--access-log" not in cmd  # the app writes the access log (api_config.guard.accesslog)
    assert cmd[-1] == "api_config.wsgi:APP"


def test_gunicorn_on_request() -> None:
    cmd = servers.command(ApiSettings(port=5999, server="gunicorn"))
    assert "gunicorn" in cmd[0]
    assert cmd[cmd.index("--worker-class") + 1] == "gthread"


def test_unknown_server_is_refused() -> None:
    with pytest.raises(ValueError, match="server"):
        ApiSettings(server="waitress")  # type: ignore[arg-type]


def test_granian_workers_get_no_request_variables_from_the_environment() -> None:
    env = {
        "PATH": "/bin",
        "DOTHI_API_PORT": "5000",
        "HTTP_AUTHORIZATION": "Bearer x",
        "http_proxy": "http://proxy:3128",
        "HTTP_X_FORWARDED_FOR": "10.0.0.1",
        "REMOTE_ADDR": "10.0.0.1",
        "CONTENT_TYPE": "text/plain",
        "SCRIPT_NAME": "/x",
    }
    kept = servers.worker_env(env, "granian")
    # environ keys are case-sensitive: lower-case http_proxy (outgoing requests) is no header
    assert kept == {"PATH": "/bin", "DOTHI_API_PORT": "5000", "http_proxy": "http://proxy:3128"}
    assert servers.worker_env(env, "gunicorn") == env  # gunicorn builds environ from the request only
