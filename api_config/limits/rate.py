"""A per-client rate limit on expensive requests (process executions), with the ``limits`` package.

A moving window per client key (:func:`api_config.limits.clients.client_key`), kept in each web
worker's memory: gunicorn spreads connections over its workers, so a client gets at most
``workers ×`` the configured rate in the worst case (a client on one keep-alive connection stays
on one worker).  The job queue (:mod:`api_config.processes.queue`) bounds the work itself across
workers; this limit keeps one client from taking every place in it.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

NAMESPACE = "execute"


class RateLimit:
    """``allow(key)`` → None when allowed, else the seconds to wait (for ``Retry-After``)."""

    def __init__(self, rate: str) -> None:
        try:
            self.item: RateLimitItem = parse(rate)
        except ValueError as exc:
            raise ValueError(
                f"DOTHI_API_EXECUTE_RATE: {rate!r} is not a rate like '10/minute' or '100 per hour'"
            ) from exc
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, key: str) -> int | None:
        if self.limiter.hit(self.item, NAMESPACE, key):
            return None
        stats = self.limiter.get_window_stats(self.item, NAMESPACE, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def describe(self) -> str:
        return f"{self.item.amount} / {self.item.multiples} {self.item.GRANULARITY.name}"


def rate_limit(rate: str) -> RateLimit | None:
    """The limiter for ``DOTHI_API_EXECUTE_RATE``, or None when it is ``0`` or empty."""
    if rate.strip() in ("", "0"):
        return None
    return RateLimit(rate)
