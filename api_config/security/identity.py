"""The identity of the request being served: who called (API key name or single-sign-on user) and
their role.

The authentication middleware (:mod:`api_config.security.auth`) sets it for the request; the job
manager and the processes read it; a job process gets it from the job it runs
(:func:`as_dict` / :func:`from_dict`, see :mod:`api_config.processes.worker`).  ``None`` means anonymous.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["planner", "analyst"]
ROLES: tuple[Role, ...] = ("planner", "analyst")


@dataclass(frozen=True)
class Identity:
    """An authenticated caller: ``name`` (API key name, or the user named by the trusted proxy),
    ``role`` and how they were identified (``api-key`` or ``proxy``)."""

    name: str
    role: Role
    via: str = "api-key"

    @property
    def sees_all_jobs(self) -> bool:
        """Analysts see and delete every job; planners only their own."""
        return self.role == "analyst"


#: WSGI environ key holding the caller's name for the layers inside authentication (rate limits).
ENVIRON_KEY = "dothi.identity"

CURRENT: ContextVar[Identity | None] = ContextVar("dothi_identity", default=None)


def current() -> Identity | None:
    """The identity of the request being served (None: anonymous, or outside a request)."""
    return CURRENT.get()


def as_dict(who: Identity | None) -> dict[str, str] | None:
    """The identity as JSON-able data (to hand to a job process)."""
    return None if who is None else {"name": who.name, "role": who.role, "via": who.via}


def from_dict(data: dict[str, Any] | None) -> Identity | None:
    """The identity handed over by :func:`as_dict` (None stays anonymous; a bad role is refused)."""
    if not data:
        return None
    role = data.get("role")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return Identity(str(data["name"]), role, str(data.get("via", "api-key")))
