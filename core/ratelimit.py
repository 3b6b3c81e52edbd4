"""A small fixed-window rate limit on the cache (Redis in production), for public forms."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest, scope: str) -> str:
    # Behind the reverse proxy REMOTE_ADDR is the proxy; the proxy must set it from
    # X-Forwarded-For (documented in the deployment notes). The IP is hashed.
    ip = request.META.get("REMOTE_ADDR", "")
    return "rl:" + scope + ":" + hashlib.sha256(ip.encode()).hexdigest()[:16]


def window_hits(key: str, *, window_seconds: int) -> int:
    """Count one more hit on `key` in its fixed window and return the count so far.

    The window opens at the key's first hit and lasts `window_seconds`. O(1): one add
    and one atomic increment (Redis INCR in production), whatever the traffic.
    """
    if cache.add(key, 0, timeout=window_seconds):
        cache.set(f"{key}:opened", time.time(), timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def window_remaining(key: str, *, window_seconds: int) -> float:
    """Seconds until the window of `key` closes (for Retry-After)."""
    opened = cache.get(f"{key}:opened")
    if opened is None:
        return float(window_seconds)
    return max(0.0, window_seconds - (time.time() - float(opened)))


def allow(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    key = client_key(request, scope)
    return window_hits(key, window_seconds=window_seconds) <= limit
