"""A time budget per request (not per statement) for the providers' database work.

The WSGI middleware opens a budget for each request (``DOTHI_API_REQUEST_BUDGET_MS``); every
statement a provider runs through :class:`api_config.providers.postgis.PooledCursor` gets at most
what is left of it as its ``statement_timeout``.  So two statements each under the statement
timeout cannot together keep a request (and its worker thread) longer than the budget.  The
setting is lowered only when the budget left is below the connection's own statement timeout (no
extra round trip for ordinary requests) and is restored before the connection goes back to the
pool.  Process executions have no request budget: jobs are bounded by the job queue and their
own statement timeout.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from pygeoapi.provider.base import ProviderGenericError

#: Below this many milliseconds left, a statement is not started at all.
MIN_STATEMENT_MS = 50


@dataclass(frozen=True)
class Budget:
    deadline: float  # time.monotonic() value
    budget_ms: int
    statement_timeout_ms: int

    def left_ms(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


_BUDGET: ContextVar[Budget | None] = ContextVar("dothi_request_budget", default=None)


class BudgetExceededError(ProviderGenericError):
    """The request used up its time budget (HTTP 503)."""

    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    ogc_exception_code = "ServiceUnavailable"
    default_msg = "The request exceeded its time budget."

    def __init__(self, budget_ms: int) -> None:
        seconds = f"{budget_ms / 1000:g}"
        message = (
            f"Yêu cầu vượt quá thời gian cho phép ({seconds} s) cho truy vấn cơ sở dữ liệu; hãy thu hẹp "
            "bằng bbox, filter hoặc limit nhỏ hơn. / "
            f"The request exceeded its time budget of {seconds} s for database work; narrow it with "
            "bbox, filter or a smaller limit."
        )
        super().__init__(message, user_msg=message)


@contextmanager
def request_budget(budget_ms: int, statement_timeout_ms: int) -> Iterator[None]:
    """Open the budget of the current request (the middleware does, around the application)."""
    budget = Budget(time.monotonic() + budget_ms / 1000, budget_ms, statement_timeout_ms)
    token = _BUDGET.set(budget)
    try:
        yield
    finally:
        _BUDGET.reset(token)


def current() -> Budget | None:
    """The current request's budget, or None outside a budgeted request."""
    return _BUDGET.get()


class BudgetCursor:
    """A psycopg2 cursor whose statements never outlast the request's budget."""

    def __init__(self, cursor: Any, budget: Budget) -> None:
        self._cursor = cursor
        self._budget = budget
        self._timeout_ms = budget.statement_timeout_ms
        self.lowered = False

    @property
    def budget_ms(self) -> int:
        return self._budget.budget_ms

    def execute(self, query: Any, params: Any = None) -> None:
        left = self._budget.left_ms()
        if left < MIN_STATEMENT_MS:
            raise BudgetExceededError(self._budget.budget_ms)
        if left < self._timeout_ms:
            self._cursor.execute("SELECT set_config('statement_timeout', %s, false)", (str(left),))
            self._timeout_ms, self.lowered = left, True
        self._cursor.execute(query, params)

    def exhausted(self) -> bool:
        """Whether a cancelled statement was cut by the budget (not by the statement timeout)."""
        return self.lowered and self._budget.left_ms() < MIN_STATEMENT_MS

    def restore(self) -> None:
        """Give the connection its own statement timeout back (before it returns to the pool)."""
        if self.lowered:
            self._cursor.execute("RESET statement_timeout")
            self.lowered = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)
