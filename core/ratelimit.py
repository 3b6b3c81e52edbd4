"""A small fixed-window rate limit on the cache (Redis in production), for public
forms and the partner API."""

from __future__ import annotations

import hashlib
import time
import weakref
from dataclasses import dataclass
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest


def client_key(request: HttpRequest, scope: str) -> str:
    # Behind the reverse proxy REMOTE_ADDR is the proxy; the proxy must set it from
    # X-Forwarded-For (documented in the deployment notes). The IP is hashed.
    ip = request.META.get("REMOTE_ADDR", "")
    return "rl:" + scope + ":" + hashlib.sha256(ip.encode()).hexdigest()[:16]


def window_hits(key: str, *, window_seconds: int) -> int:
    """Count one more hit on `key` in its fixed window and return the count so far.

    The window opens at the key's first hit and lasts `window_seconds`. O(1) whatever
    the traffic. On Redis, one round trip: a script that increments and opens the
    window on the first hit, atomic across processes. Every partner API call passes
    here; through the cache API (add, exists, incr: three round trips, and a new
    Redis client for each) it took about six times as long (docs/scaling.md).
    """
    redis = _redis_counter(key)
    if redis is not None:
        return int(redis.count_hit(keys=[redis.key], args=[window_seconds]))
    if cache.add(key, 0, timeout=window_seconds):
        cache.set(f"{key}:opened", time.time(), timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def window_remaining(key: str, *, window_seconds: int) -> float:
    """Seconds until the window of `key` closes (for Retry-After)."""
    redis = _redis_counter(key)
    if redis is not None:
        remaining_ms = int(redis.client.pttl(redis.key))
        if remaining_ms < 0:  # no window open (-2), or one without end (-1)
            return float(window_seconds)
        return remaining_ms / 1000
    opened = cache.get(f"{key}:opened")
    if opened is None:
        return float(window_seconds)
    return max(0.0, window_seconds - (time.time() - float(opened)))


def allow(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    key = client_key(request, scope)
    return window_hits(key, window_seconds=window_seconds) <= limit


# One more hit, and a new counter gets its window: one atomic step on the server.
_COUNT_HIT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return hits
"""


@dataclass(frozen=True)
class _RedisCounter:
    client: Any
    # redis-py's Script: EVALSHA, and the script loaded again after a Redis restart.
    count_hit: Any
    key: str


def _redis_counter(key: str) -> _RedisCounter | None:
    """The Redis client of Django's Redis cache, the counting script, and the full
    key (prefix and version applied) the cache uses for `key`; None on any other
    cache backend. The counter stays readable through the cache API: Django stores
    integers unpickled.

    The client is built once per cache backend: Django's cache builds a new one for
    every operation (on its shared connection pool), which cost more than the round
    trip itself.
    """
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    loaded = _loaded_clients.get(backend)
    if loaded is None:
        client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
        loaded = (client, client.register_script(_COUNT_HIT))
        _loaded_clients[backend] = loaded
    client, count_hit = loaded
    return _RedisCounter(client, count_hit, backend.make_and_validate_key(key))


_loaded_clients: weakref.WeakKeyDictionary[RedisCache, tuple[Any, Any]] = (
    weakref.WeakKeyDictionary()
)
