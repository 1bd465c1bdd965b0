"""An in-process cache of vector tiles, exact because it is keyed by the data version.

A tile's key holds its table's version from ``catalog.data_versions`` (incremented by a trigger in the
transaction of every change to the table, whoever makes it), read in the same statement — and so the
same snapshot — as the tile itself.  A change to the table makes a new version: later requests miss
and build the tile again; entries of old versions age out of the least-recently-used order.  Tables
without the change-tracking trigger are never cached.

Each web worker has its own cache, bounded in bytes (``DOTHI_API_TILE_CACHE_MB``, 0 disables it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0


class TileCache:
    """Least-recently-used bytes cache with a byte budget."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.stats = CacheStats()
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            data = self._entries.get(key)
            if data is None:
                self.stats.misses += 1
                return None
            self._entries.move_to_end(key)
            self.stats.hits += 1
            return data

    def put(self, key: Hashable, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._entries[key] = data
            self.size += len(data)
            while self.size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted)

    def __len__(self) -> int:
        return len(self._entries)


_CACHE: TileCache | None = None
_CACHE_LOCK = threading.Lock()


def process_cache(max_mb: float) -> TileCache | None:
    """The worker's tile cache (created by the first tile provider), or None when disabled."""
    global _CACHE  # noqa: PLW0603 - one cache per process, shared by every tile provider
    if max_mb <= 0:
        return None
    with _CACHE_LOCK:
        if _CACHE is None:
            _CACHE = TileCache(int(max_mb * 1024 * 1024))
        return _CACHE
