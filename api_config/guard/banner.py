"""No version banner: gunicorn and granian name themselves in every response's ``Server`` header; dothi says
``dothi`` instead (no product or version for an attacker to look up)."""

from __future__ import annotations

SERVER_NAME = "dothi"


def hide_server_banner() -> None:
    """Replace gunicorn's ``Server: gunicorn`` (read per response from ``gunicorn.http.wsgi.SERVER``)."""
    try:
        from gunicorn.http import wsgi  # noqa: PLC0415 - only under gunicorn
    except ImportError:  # pragma: no cover - another WSGI server
        return
    wsgi.SERVER = SERVER_NAME
