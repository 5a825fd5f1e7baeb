"""What one running server holds besides its database: limiter, password hasher, caches, jobs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Settings
from .db import Database
from .jobs import JobRunner
from .ratelimit import RateLimiter
from .security import Passwords


class LRUCache:
    """A small thread-safe least-recently-used cache of rendered bytes.

    Keys include the version's SHA-256, so an entry can never be stale: versions are immutable.
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._data: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: tuple[object, ...], make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.entries:
                self._data.popitem(last=False)
        return value


@dataclass
class ServerState:
    settings: Settings
    db: Database
    passwords: Passwords
    login_limiter: RateLimiter  # per client address and user name
    address_limiter: RateLimiter  # per client address
    jobs: JobRunner
    renders: LRUCache = field(default_factory=lambda: LRUCache(256))
