"""The fixed-window rate limit (core.ratelimit) on a real Redis, as in production:
one script per lease, atomic across threads and processes, never past the limit."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from core.ratelimit import forget_leases, window_allows, window_remaining
from tests.integration.needs_redis import (
    REDIS_URL,
    redis_reachable,
    skip_module_without_redis,
)
from tests.rate_limits import fresh_key, hits

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
    forget_leases()
    yield
    forget_leases()


def test_small_limit_is_exact():
    assert hits(fresh_key(), 5, limit=3) == [True, True, True, False, False]


def test_counter_is_readable_through_the_cache():
    key = fresh_key()
    hits(key, 12, limit=1000)

    assert cache.get(key) == 20  # two leases of ten


def test_concurrent_threads_are_admitted_exactly_up_to_a_small_limit():
    key = fresh_key()

    with ThreadPoolExecutor(max_workers=8) as pool:
        admitted = list(
            pool.map(
                lambda _: window_allows(key, limit=50, window_seconds=60), range(200)
            )
        )

    assert admitted.count(True) == 50


def _admitted_in_child(key: str) -> int:
    forget_leases()  # the parent's leases are not this process's
    return sum(hits(key, 400, limit=1000))


def test_processes_together_never_pass_the_limit():
    key = fresh_key()

    with multiprocessing.get_context("fork").Pool(4) as pool:
        admitted = sum(pool.map(_admitted_in_child, [key] * 4))

    # Each process may hold at most one lease (ten hits) unspent.
    assert 1000 - 4 * 10 <= admitted <= 1000


def test_counting_starts_again_when_the_window_closes():
    key = fresh_key()
    hits(key, 3, limit=3, window_seconds=1)
    time.sleep(1.2)

    assert hits(key, 1, limit=3, window_seconds=1) == [True]


def test_later_hits_do_not_extend_the_window():
    key = fresh_key()
    hits(key, 1, limit=3, window_seconds=2)
    time.sleep(1.1)
    forget_leases()  # as another process would, ask the shared counter
    hits(key, 1, limit=3, window_seconds=2)

    assert window_remaining(key, window_seconds=2) < 1


def test_remaining_time_of_an_open_window():
    key = fresh_key()
    hits(key, 1, limit=3)

    assert 58 < window_remaining(key, window_seconds=60) <= 60


def test_counting_goes_on_after_redis_forgets_its_scripts():
    import redis

    key = fresh_key()
    hits(key, 1, limit=3)
    redis.Redis.from_url(REDIS_URL).script_flush()

    assert hits(key, 3, limit=3) == [True, True, False]


def test_counter_left_without_a_window_gets_one():
    import redis

    key = fresh_key()
    full_key = cache.make_and_validate_key(key)
    redis.Redis.from_url(REDIS_URL).set(full_key, 3)  # full, and no expiry

    hits(key, 1, limit=3, window_seconds=60)

    assert 0 < redis.Redis.from_url(REDIS_URL).ttl(full_key) <= 60
