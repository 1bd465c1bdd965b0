"""Every response leaves through :class:`ResponseGuard`, which makes sure that:

* ``Content-Encoding: gzip`` is true: pygeoapi labels some error documents gzip (its format
  exception copies the request's ``Accept-Encoding``) but sends them plain; such a body is
  compressed here (an empty body loses the label);
* a 503 carries ``Retry-After``;
* no header names the software or its version (``X-Powered-By``);
* the security headers are set: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` on
  every response, and on HTML a ``Content-Security-Policy`` allowing only this origin (no inline
  script, no third-party host; ``frame-ancestors 'self'``) plus ``X-Frame-Options``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from api_config.guard.banner import SERVER_NAME
from api_config.guard.compression import gzip_bytes
from api_config.guard.unavailable import RETRY_AFTER_S

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

GZIP_MAGIC = b"\x1f\x8b"


def content_security_policy(image_sources: tuple[str, ...] = ()) -> str:
    """Content-Security-Policy of HTML pages.  Styles allow 'unsafe-inline' because pygeoapi's and
    Leaflet's pages set ``style=`` attributes; scripts come from this origin only; images also
    from ``image_sources`` (the origin of a configured basemap)."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            " ".join(("img-src 'self' data: blob:", *image_sources)),
            "connect-src 'self'",
            "font-src 'self' data:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )


def origins(url_template: str) -> tuple[str, ...]:
    """The origin of an XYZ URL template (``https://{s}.tile.example/{z}/{x}/{y}.png``), for the CSP."""
    if not url_template:
        return ()
    parts = urlsplit(url_template.replace("{s}", "*"))
    return (f"{parts.scheme}://{parts.netloc}",) if parts.scheme in ("http", "https") else ()


#: Headers naming the software and its version (pygeoapi sends ``X-Powered-By: pygeoapi 0.24.0``).
_BANNERS = {"x-powered-by", "server"}
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def _get(headers: list[tuple[str, str]], name: str) -> str | None:
    wanted = name.lower()
    return next((v for k, v in headers if k.lower() == wanted), None)


def secure_headers(status: str, headers: list[tuple[str, str]], *, csp: str) -> list[tuple[str, str]]:
    """``headers`` with the security headers (and ``Retry-After`` on a 503) added when missing."""
    named = [(k.lower(), k, v) for k, v in headers]
    present = {low: v for low, _, v in named}
    out = [
        (k, _single_params(v) if low == "content-type" else v) for low, k, v in named if low not in _BANNERS
    ]
    extra = list(SECURITY_HEADERS)
    if present.get("content-type", "").startswith("text/html"):
        extra += [("Content-Security-Policy", csp), ("X-Frame-Options", "SAMEORIGIN")]
    if status.startswith("503"):
        extra.append(("Retry-After", str(RETRY_AFTER_S)))
    return out + [(k, v) for k, v in extra if k.lower() not in present]


def _single_params(value: str) -> str:
    """pygeoapi sends ``text/csv; charset=utf-8; charset=utf-8``: keep each parameter once."""
    parts = [p.strip() for p in value.split(";")]
    return "; ".join(dict.fromkeys(parts))


def true_encoding(headers: list[tuple[str, str]], body: bytes) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and body whose ``Content-Encoding: gzip`` label matches the bytes."""
    if body.startswith(GZIP_MAGIC):
        return headers, body
    kept = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "content-length")]
    if body:
        body = gzip_bytes(body)
        kept.append(("Content-Encoding", "gzip"))
    kept.append(("Content-Length", str(len(body))))
    return kept, body


def _started(result: Iterable[bytes]) -> Iterable[bytes]:
    chunks = iter(result)
    first = next(chunks, b"")
    return itertools.chain([first], chunks)


class ResponseGuard:
    """WSGI middleware applying :func:`secure_headers` and :func:`true_encoding` to every response."""

    def __init__(self, app: WsgiApp, *, image_sources: tuple[str, ...] = ()) -> None:
        self.app = app
        self.csp = content_security_policy(image_sources)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda _data: None  # the legacy write() callable; Flask does not use it

        result: Iterable[bytes] = self.app(environ, capture)
        if "status" not in captured:  # an application calling start_response on first iteration
            result = _started(result)
        status, headers = captured["status"], captured["headers"]
        headers = secure_headers(status, headers, csp=self.csp)
        if environ.get("SERVER_SOFTWARE") == "Granian":  # it names itself unless the app does
            headers.append(("Server", SERVER_NAME))
        if "gzip" not in (_get(headers, "Content-Encoding") or "").lower():
            start_response(status, headers, captured["exc_info"])
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        headers, body = true_encoding(headers, body)
        start_response(status, headers, captured["exc_info"])
        return [body]
