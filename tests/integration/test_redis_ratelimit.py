"""The fixed-window counter (core.ratelimit) on a real Redis, as in production: one
script per hit, atomic across processes, windows that close, and Retry-After."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from core.ratelimit import window_hits, window_remaining
from tests.integration.needs_redis import (
    REDIS_URL,
    redis_reachable,
    skip_module_without_redis,
)

skip_module_without_redis("rate-limit tests on Redis")


@pytest.fixture(autouse=True)
def redis_cache(settings):
    redis_reachable()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Keys of their own: the broker and other runs share this Redis.
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    }


def _key() -> str:
    return f"rl:test:{uuid.uuid4().hex[:8]}"


def test_hits_are_counted_in_order():
    key = _key()

    assert [window_hits(key, window_seconds=60) for _ in range(3)] == [1, 2, 3]


def test_counter_is_readable_through_the_cache():
    key = _key()
    for _ in range(2):
        window_hits(key, window_seconds=60)

    assert cache.get(key) == 2


def test_concurrent_hits_each_get_their_own_count():
    key = _key()

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(
            pool.map(lambda _: window_hits(key, window_seconds=60), range(200))
        )

    assert sorted(counts) == list(range(1, 201))


def test_counting_starts_again_when_the_window_closes():
    key = _key()
    window_hits(key, window_seconds=1)
    window_hits(key, window_seconds=1)
    time.sleep(1.2)

    assert window_hits(key, window_seconds=1) == 1


def test_later_hits_do_not_extend_the_window():
    key = _key()
    window_hits(key, window_seconds=2)
    time.sleep(1.1)
    window_hits(key, window_seconds=2)

    assert window_remaining(key, window_seconds=2) < 1


def test_remaining_time_of_an_open_window():
    key = _key()
    window_hits(key, window_seconds=60)

    assert 58 < window_remaining(key, window_seconds=60) <= 60


def test_remaining_time_without_a_window_is_the_whole_window():
    assert window_remaining(_key(), window_seconds=60) == 60


def test_counting_goes_on_after_redis_forgets_its_scripts():
    import redis

    key = _key()
    window_hits(key, window_seconds=60)
    redis.Redis.from_url(REDIS_URL).script_flush()

    assert window_hits(key, window_seconds=60) == 2
