"""A small fixed-window rate limit on the cache (Redis in production), for public forms."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest, scope: str) -> str:
    # Behind the reverse proxy REMOTE_ADDR is the proxy; the proxy must set it from
    # X-Forwarded-For (documented in the deployment notes). The IP is hashed.
    ip = request.META.get("REMOTE_ADDR", "")
    return "rl:" + scope + ":" + hashlib.sha256(ip.encode()).hexdigest()[:16]


def allow(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    key = client_key(request, scope)
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
