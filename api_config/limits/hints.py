"""Response headers decided deep inside a request (e.g. the job queue's ``Retry-After``).

pygeoapi builds its error responses itself; code it calls (the job manager) leaves a hint here and
the limits middleware adds it to the response.
"""

from __future__ import annotations

from contextvars import ContextVar

_HINTS: ContextVar[dict[str, str] | None] = ContextVar("dothi_response_hints", default=None)


def open_hints() -> tuple[dict[str, str], object]:
    """A fresh hint dict for the current request, and the token to close it with."""
    hints: dict[str, str] = {}
    return hints, _HINTS.set(hints)


def close_hints(token: object) -> None:
    _HINTS.reset(token)  # type: ignore[arg-type]


def retry_after(seconds: int) -> None:
    """Ask for ``Retry-After: seconds`` on the current request's response (no-op outside one)."""
    hints = _HINTS.get()
    if hints is not None:
        hints["Retry-After"] = str(max(1, int(seconds)))
