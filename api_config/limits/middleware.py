"""WSGI middleware bounding each request: body size, execution rate per client, time budget.

* a body larger than ``DOTHI_API_MAX_BODY_BYTES`` → 413: refused from ``Content-Length`` before
  anything is read, a chunked body cut off at the limit;
* ``POST /processes/{id}/execution`` over ``DOTHI_API_EXECUTE_RATE`` for its client → 429 with
  ``Retry-After``;
* every other request gets a time budget for its database work (``DOTHI_API_REQUEST_BUDGET_MS``,
  :mod:`api_config.limits.budget`);
* a ``Retry-After`` asked for deeper down (:mod:`api_config.limits.hints`, e.g. the job queue is
  full) is added to the response.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from api_config.limits import budget, hints
from api_config.limits.clients import Network, client_key, parse_networks
from api_config.limits.rate import RateLimit, rate_limit
from api_config.limits.responses import refuse
from gis.settings import ApiSettings

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

EXECUTION = re.compile(r"^/processes/[^/]+/execution/?$")


@dataclass(frozen=True)
class LimitSettings:
    max_body_bytes: int
    budget_ms: int
    statement_timeout_ms: int
    execute_rate: str
    trusted_proxies: tuple[Network, ...]

    @classmethod
    def from_api(cls, api: ApiSettings) -> LimitSettings:
        return cls(
            max_body_bytes=api.max_body_bytes,
            budget_ms=api.request_budget_ms,
            statement_timeout_ms=api.statement_timeout_ms,
            execute_rate=api.execute_rate,
            trusted_proxies=parse_networks(api.trusted_proxies),
        )


class BodyTooLargeError(Exception):
    pass


class Limits:
    """The middleware (outermost around the application)."""

    def __init__(self, app: WsgiApp, settings: LimitSettings) -> None:
        self.app = app
        self.settings = settings
        self.rate: RateLimit | None = rate_limit(settings.execute_rate)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            _bound_body(environ, self.settings.max_body_bytes)
        except BodyTooLargeError:
            return refuse(start_response, "413 Content Too Large", "PayloadTooLarge", self._too_large())
        execution = environ.get("REQUEST_METHOD") == "POST" and bool(
            EXECUTION.match(environ.get("PATH_INFO", ""))
        )
        if execution and self.rate is not None:
            wait = self.rate.allow(client_key(environ, self.settings.trusted_proxies))
            if wait is not None:
                return refuse(
                    start_response,
                    "429 Too Many Requests",
                    "TooManyRequests",
                    self._too_many(),
                    retry_after=wait,
                )
        found, token = hints.open_hints()
        try:
            if execution:  # jobs are bounded by the job queue, not by the request budget
                return self.app(environ, _with_hints(start_response, found))
            with budget.request_budget(self.settings.budget_ms, self.settings.statement_timeout_ms):
                return self.app(environ, _with_hints(start_response, found))
        finally:
            hints.close_hints(token)

    def _too_large(self) -> str:
        n = self.settings.max_body_bytes
        return (
            f"Nội dung yêu cầu quá lớn: tối đa {n} byte. / "
            f"The request body is too large: at most {n} bytes are accepted."
        )

    def _too_many(self) -> str:
        rate = self.rate.describe() if self.rate else ""
        return (
            f"Quá nhiều yêu cầu thực thi từ máy khách này (giới hạn {rate}); hãy thử lại sau "
            "thời gian trong Retry-After. / "
            f"Too many process executions from this client (limit {rate}); retry after the "
            "number of seconds in Retry-After."
        )


def _bound_body(environ: dict[str, Any], max_bytes: int) -> None:
    """Raise BodyTooLargeError for a body over ``max_bytes``; a chunked body is read (up to the
    limit) and handed on as a body of known length."""
    length = environ.get("CONTENT_LENGTH")
    if length:
        if length.strip().isdigit() and int(length) > max_bytes:
            raise BodyTooLargeError
        return
    if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return
    data = environ["wsgi.input"].read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BodyTooLargeError
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))


def _with_hints(start_response: StartResponse, found: dict[str, str]) -> StartResponse:
    def wrapped(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        if found:
            present = {k.lower() for k, _ in headers}
            headers = headers + [(k, v) for k, v in found.items() if k.lower() not in present]
        return start_response(status, headers, *exc_info)

    return wrapped
