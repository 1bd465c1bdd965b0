"""Put the security middleware around the WSGI application (called by ``create_app``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from api_config.providers.db import engine_for
from api_config.security.auth import Authenticator, TrustedProxy, WsgiApp
from api_config.security.cors import Cors, CorsPolicy
from gis.settings import ApiSettings

#: Pool and statement timeout of the connections resolving keys and job owners.
AUTH_DB_OPTIONS = {"pool_size": 2, "max_overflow": 2, "statement_timeout_ms": 5000}


def secure(app: WsgiApp, config: dict[str, Any], settings: ApiSettings) -> WsgiApp:
    """``app`` behind authentication (keys and job owners read through the job manager's
    connection) and CORS (outermost, so preflights never need credentials)."""
    connection = config["server"]["manager"]["connection"]
    proxy = TrustedProxy.parse(
        settings.trusted_proxies, settings.trusted_user_header, settings.trusted_role_header
    )
    engine = partial(engine_for, connection, AUTH_DB_OPTIONS)
    authenticated = Authenticator(app, engine, proxy)
    return Cors(authenticated, CorsPolicy.parse(settings.cors_origins, settings.cors_write_origins))
