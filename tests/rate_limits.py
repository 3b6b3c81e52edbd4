"""Rate-limit state between tests: the shared counters (the cache) and this
process's leases of them (core.ratelimit)."""

from __future__ import annotations

from django.core.cache import cache

from core.ratelimit import forget_leases


def clear_rate_limits() -> None:
    cache.clear()
    forget_leases()
