"""Per-key rate limit with `limits` (in memory by default, `redis://` for several workers)."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    """A moving-window limit shared by every request of one API key."""

    def __init__(self, limit: str, storage_uri: str) -> None:
        self.item = parse(limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, key_prefix: str) -> int | None:
        """Count one request; None if allowed, else seconds to wait (`Retry-After`)."""
        if self.limiter.hit(self.item, "cle", key_prefix):
            return None
        stats = self.limiter.get_window_stats(self.item, "cle", key_prefix)
        return max(1, math.ceil(stats.reset_time - time.time()))
