"""A fixed-window rate limit on the cache (Redis in production), for public forms and
the partner API.

A window opens at a key's first hit and lasts `window_seconds`; at most `limit` hits
pass in it, counted across every process on the shared cache. A process takes its
hits from the shared counter in leases of up to a hundredth of the limit
(`RATE_LIMIT_LEASE_SHARE`) and spends them locally: at partner volume (hundreds of
calls a second under one client's limit) a round trip to Redis for every call was
the largest single cost of a status call (docs/scaling.md). The price is precision:
hits leased but not spent by one process are lost to the others for that window, so
a client may be refused up to (processes times lease) hits before its limit (5 % at
most with five workers); never admitted past it. Limits under a hundred lease one
hit at a time: exact.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

MAX_REMEMBERED_WINDOWS = 1024


def client_key(request: HttpRequest, scope: str) -> str:
    # Behind the reverse proxy REMOTE_ADDR is the proxy; the proxy must set it from
    # X-Forwarded-For (documented in the deployment notes). The IP is hashed.
    ip = request.META.get("REMOTE_ADDR", "")
    return "rl:" + scope + ":" + hashlib.sha256(ip.encode()).hexdigest()[:16]


def allow(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    key = client_key(request, scope)
    return window_allows(key, limit=limit, window_seconds=window_seconds)


def window_allows(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True while its window has had at most `limit`."""
    with _lock:
        lease = _leases.get(key)
        if lease is not None and time.monotonic() < lease.closes_at:
            if lease.unspent > 0:
                lease.unspent -= 1
                return True
            if lease.exhausted:
                return False
    size = lease_size(limit)
    counted, remaining_s = _count(key, hits=size, window_seconds=window_seconds)
    granted = min(size, limit - (counted - size))
    with _lock:
        if len(_leases) >= MAX_REMEMBERED_WINDOWS:
            _leases.clear()
        _leases[key] = _Lease(
            closes_at=time.monotonic() + remaining_s,
            unspent=max(granted - 1, 0),
            exhausted=counted >= limit,
        )
    return granted > 0


def window_remaining(key: str, *, window_seconds: int) -> float:
    """Seconds until the window of `key` closes (for Retry-After)."""
    with _lock:
        lease = _leases.get(key)
    if lease is not None:
        return max(0.0, lease.closes_at - time.monotonic())
    return float(window_seconds)


def lease_size(limit: int) -> int:
    """A share of the limit (`RATE_LIMIT_LEASE_SHARE`, 100: a hundredth), at least one."""
    return max(1, limit // settings.RATE_LIMIT_LEASE_SHARE)


def forget_leases() -> None:
    """Drop this process's leases (tests; a changed limit)."""
    with _lock:
        _leases.clear()


@dataclass
class _Lease:
    closes_at: float  # time.monotonic() at which the shared window closes
    unspent: int
    # The shared counter reached the limit: refuse without asking until it closes.
    exhausted: bool


_lock = threading.Lock()
_leases: dict[str, _Lease] = {}


def _count(key: str, *, hits: int, window_seconds: int) -> tuple[int, float]:
    """Add `hits` to the shared counter of `key`, opening its window if none is
    open; return the new count and the seconds until the window closes."""
    redis = _redis_counter(key)
    if redis is not None:
        counted, remaining_ms = redis.count_hits(
            keys=[redis.key], args=[hits, window_seconds]
        )
        return int(counted), max(int(remaining_ms), 0) / 1000
    # Any other cache (local development, tests): add, then increment.
    opened_key = f"{key}:opened"
    if cache.add(key, 0, timeout=window_seconds):
        cache.set(opened_key, time.time(), timeout=window_seconds)
    try:
        counted = cache.incr(key, hits)
    except ValueError:  # the window closed between add and incr
        cache.set(key, hits, timeout=window_seconds)
        cache.set(opened_key, time.time(), timeout=window_seconds)
        counted = hits
    opened = cache.get(opened_key)
    elapsed = time.time() - float(opened) if opened is not None else 0.0
    return counted, max(0.0, math.floor(window_seconds - elapsed))


# Add the hits; a counter without a window gets one (a new counter, or one written
# without an expiry some other way, which would otherwise refuse its client for
# good once full). One atomic step on the server.
_COUNT_HITS = """
local counted = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return {counted, redis.call('PTTL', KEYS[1])}
"""


@dataclass(frozen=True)
class _RedisCounter:
    # redis-py's Script: EVALSHA, and the script loaded again after a Redis restart.
    count_hits: Any
    key: str


def _redis_counter(key: str) -> _RedisCounter | None:
    """The counting script on the Redis of Django's Redis cache, and the full key
    (prefix and version applied) the cache uses for `key`; None on any other cache
    backend. The counter stays readable through the cache API: Django stores
    integers unpickled.

    The client is built once per cache backend: Django's cache builds a new one for
    every operation (on its shared connection pool), which cost more than the round
    trip itself.
    """
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    count_hits = _scripts.get(backend)
    if count_hits is None:
        client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
        count_hits = client.register_script(_COUNT_HITS)
        _scripts[backend] = count_hits
    return _RedisCounter(count_hits, backend.make_and_validate_key(key))


_scripts: weakref.WeakKeyDictionary[RedisCache, Any] = weakref.WeakKeyDictionary()
