"""CORS: any origin (or the listed ones) may read; only listed origins may write.

``DOTHI_API_CORS_ORIGINS`` (``*`` by default, comma-separated origins, or empty for none) may make
cross-origin GET and HEAD requests; ``DOTHI_API_CORS_WRITE_ORIGINS`` (none by default) may also
POST, PUT, PATCH and DELETE (process execution, jobs).  Preflights (OPTIONS with
``Access-Control-Request-Method``) are answered here, 204, with the ``Access-Control-Allow-*``
headers only when the origin may use the requested method; every other response gets
``Access-Control-Allow-Origin`` only when its origin may use its method (headers set by the
application are replaced).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from api_config.security.policy import READ_METHODS

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

READ_ALLOWED = "GET, HEAD, OPTIONS"
WRITE_ALLOWED = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"
#: Request headers a preflight may ask for.
ALLOWED_HEADERS = "Accept, Accept-Language, Authorization, Content-Type, Prefer"
PREFLIGHT_MAX_AGE = "600"


def _origins(value: str) -> frozenset[str]:
    return frozenset(o.strip().rstrip("/") for o in value.split(",") if o.strip())


@dataclass(frozen=True)
class CorsPolicy:
    """Who may read and who may write cross-origin."""

    read: frozenset[str]
    write: frozenset[str]

    @classmethod
    def parse(cls, read: str, write: str) -> CorsPolicy:
        return cls(_origins(read), _origins(write))

    def allow_origin(self, origin: str, method: str) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for ``origin`` using ``method``, or None."""
        if method.upper() not in READ_METHODS:
            return origin if origin in self.write else None
        if origin in self.write or origin in self.read:
            return origin
        return "*" if "*" in self.read else None


def _without_cors(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]


class Cors:
    """WSGI middleware applying a :class:`CorsPolicy` (outermost, before authentication)."""

    def __init__(self, app: WsgiApp, policy: CorsPolicy) -> None:
        self.app = app
        self.policy = policy

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET").upper()
        requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "").upper()
        if method == "OPTIONS" and origin and requested:
            return self._preflight(origin, requested, start_response)
        allowed = self.policy.allow_origin(origin, method) if origin else None

        def wrapped(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            fixed = _without_cors(headers)
            if allowed is not None:
                fixed += [("Access-Control-Allow-Origin", allowed), ("Access-Control-Expose-Headers", "*")]
            if origin and allowed != "*":
                fixed.append(("Vary", "Origin"))
            return start_response(status, fixed, *exc_info)

        return self.app(environ, wrapped)

    def _preflight(self, origin: str, requested: str, start_response: StartResponse) -> list[bytes]:
        allowed = self.policy.allow_origin(origin, requested)
        headers = [("Content-Length", "0"), ("Vary", "Origin")]
        if allowed is not None:
            methods = WRITE_ALLOWED if origin in self.policy.write else READ_ALLOWED
            headers += [
                ("Access-Control-Allow-Origin", allowed),
                ("Access-Control-Allow-Methods", methods),
                ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
                ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
            ]
        start_response("204 No Content", headers)
        return []
