"""Rate-limit state between tests: the shared counters (the cache) and this
process's leases of them (core.ratelimit)."""

from __future__ import annotations

import uuid

from django.core.cache import cache

from core.ratelimit import forget_leases, window_allows


def clear_rate_limits() -> None:
    cache.clear()
    forget_leases()


def fresh_key() -> str:
    return f"rl:test:{uuid.uuid4().hex[:8]}"


def hits(key: str, count: int, *, limit: int, window_seconds: int = 60) -> list[bool]:
    """Whether each of `count` hits on `key` was admitted."""
    return [
        window_allows(key, limit=limit, window_seconds=window_seconds)
        for _ in range(count)
    ]
