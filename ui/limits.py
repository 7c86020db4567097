"""Limits at the web edge: question length and questions per user per minute."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

MAX_INPUT_CHARS = 500   # the assistant's own cap; the text box stops longer input before it is sent


class RateLimiter:
    """A sliding one-minute window per user (login name, else browser session)."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            seen = self._seen[key]
            while seen and now - seen[0] >= 60:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return 60 - (now - seen[0])
            seen.append(now)
            return 0.0
