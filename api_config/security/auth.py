"""WSGI middleware: who is calling, and may they?

Identity comes from ``Authorization: Bearer <API key>`` (:mod:`api_config.security.keys`) or,
when configured, from a trusted reverse proxy (an OIDC / single-sign-on gateway in front of the
API): the user named in ``DOTHI_API_TRUSTED_USER_HEADER`` (role in
``DOTHI_API_TRUSTED_ROLE_HEADER``, ``planner`` when absent), accepted only from the addresses in
``DOTHI_API_TRUSTED_PROXIES``.  Requests that need an identity (:mod:`api_config.security.policy`)
get 401 without one (``WWW-Authenticate: Bearer``) and 403 when the role may not; the identity of
the request is set in :data:`api_config.security.identity.CURRENT` for the job manager and the
processes.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from api_config.guard.unavailable import MESSAGE, RETRY_AFTER_S, is_unavailable
from api_config.security import keys, policy
from api_config.security.identity import CURRENT, ENVIRON_KEY, ROLES, Identity, Role
from api_config.security.jobs import owner_of
from api_config.security.responses import StartResponse, exception

_CHALLENGE = 'Bearer realm="dothi"'
_USER = re.compile(r"^[^\x00-\x1f\x7f]{1,256}$")
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

NEED_KEY = (
    "Cần xác thực: gửi khoá API trong tiêu đề 'Authorization: Bearer <khoá>' "
    "(tạo khoá bằng `dothi api-key create`). / "
    "Authentication required: send an API key in the header 'Authorization: Bearer <key>' "
    "(an operator creates one with `dothi api-key create`)."
)
BAD_KEY = (
    "Khoá API trong tiêu đề 'Authorization' không hợp lệ hoặc đã bị thu hồi. / "
    "The API key in the 'Authorization' header is invalid or revoked."
)
NOT_YOURS = (
    "Công việc {job} không phải của bạn ({name}, vai trò {role}); chỉ vai trò analyst xem được "
    "công việc của người khác. / Job {job} is not yours ({name}, role {role}); only the analyst "
    "role sees other users' jobs."
)
BAD_PROXY_USER = (
    "Tên người dùng trong tiêu đề {header} không hợp lệ (1–256 ký tự, không ký tự điều khiển). / "
    "The user name in header {header} is invalid (1–256 characters, no control characters)."
)
BAD_PROXY_ROLE = (
    "Vai trò {role!r} trong tiêu đề {header} không hợp lệ (planner hoặc analyst). / "
    "Role {role!r} in header {header} is not one of planner, analyst."
)


@dataclass(frozen=True)
class TrustedProxy:
    """Identity headers set by a reverse proxy, believed only from its addresses."""

    networks: tuple[Network, ...]
    user_header: str
    role_header: str | None = None

    @classmethod
    def parse(cls, addresses: str, user_header: str | None, role_header: str | None) -> TrustedProxy | None:
        """From the settings (comma-separated addresses or networks); None when not configured."""
        nets = tuple(ipaddress.ip_network(a.strip(), strict=False) for a in addresses.split(",") if a.strip())
        if not nets or not user_header:
            return None
        return cls(nets, user_header, role_header or None)

    def trusts(self, environ: dict[str, Any]) -> bool:
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(peer in net for net in self.networks)


def _environ_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


class UnauthenticatedError(Exception):
    """No acceptable identity: the 401 description and ``WWW-Authenticate`` value."""

    def __init__(self, description: str, challenge: str) -> None:
        super().__init__(description)
        self.description = description
        self.challenge = challenge


class Authenticator:
    """WSGI middleware deciding 401/403 and setting the request's identity."""

    def __init__(self, app: WsgiApp, engine: Callable[[], Engine], proxy: TrustedProxy | None = None) -> None:
        self.app = app
        self.engine = engine
        self.proxy = proxy

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "")
        if not policy.needs_identity(method, path, environ.get("CONTENT_TYPE", "")):
            return self.app(environ, start_response)
        try:
            identity = self.identify(environ)
            refusal = self._refusal(identity, path)
        except UnauthenticatedError as exc:
            challenge = [("WWW-Authenticate", exc.challenge)]
            return exception(start_response, "401 Unauthorized", "Unauthorized", exc.description, challenge)
        except Exception as exc:  # keys and job owners live in the database
            if not is_unavailable(exc):
                raise
            retry = [("Retry-After", str(RETRY_AFTER_S))]
            return exception(start_response, "503 Service Unavailable", "ServiceUnavailable", MESSAGE, retry)
        if refusal is not None:
            return exception(start_response, "403 Forbidden", "Forbidden", refusal)
        token = CURRENT.set(identity)
        environ[ENVIRON_KEY] = identity.name  # the key the rate limit counts under (api_config.limits)
        try:
            return self.app(environ, start_response)
        finally:
            CURRENT.reset(token)

    def identify(self, environ: dict[str, Any]) -> Identity:
        """The caller's identity, or :class:`UnauthenticatedError`."""
        scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            found = keys.identify(self.engine(), credentials.strip())
            if found is None:
                raise UnauthenticatedError(BAD_KEY, 'Bearer realm="dothi", error="invalid_token"')
            return found
        proxied = self._from_proxy(environ)
        if proxied is not None:
            return proxied
        raise UnauthenticatedError(NEED_KEY, _CHALLENGE)

    def _from_proxy(self, environ: dict[str, Any]) -> Identity | None:
        if self.proxy is None or not self.proxy.trusts(environ):
            return None
        user = environ.get(_environ_key(self.proxy.user_header), "").strip()
        if not user:
            return None
        if not _USER.match(user):
            raise UnauthenticatedError(BAD_PROXY_USER.format(header=self.proxy.user_header), _CHALLENGE)
        role = "planner"
        if self.proxy.role_header:
            role = environ.get(_environ_key(self.proxy.role_header), "").strip() or "planner"
        if role not in ROLES:
            description = BAD_PROXY_ROLE.format(role=role, header=self.proxy.role_header)
            raise UnauthenticatedError(description, _CHALLENGE)
        checked: Role = role
        return Identity(name=user, role=checked, via="proxy")

    def _refusal(self, identity: Identity, path: str) -> str | None:
        job = policy.job_id_of(path)
        if job is None or identity.sees_all_jobs:
            return None
        if policy.may_touch_job(identity, owner_of(self.engine(), job)):
            return None
        return NOT_YOURS.format(job=job, name=identity.name, role=identity.role)
