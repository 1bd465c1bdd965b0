"""The identity of the request being served: who called (API key name or single-sign-on user) and
their role.

The authentication middleware (:mod:`api_config.security.auth`) sets it for the request; the job
manager and the processes read it (a forked job process inherits it).  ``None`` means anonymous.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

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


CURRENT: ContextVar[Identity | None] = ContextVar("dothi_identity", default=None)


def current() -> Identity | None:
    """The identity of the request being served (None: anonymous, or outside a request)."""
    return CURRENT.get()
