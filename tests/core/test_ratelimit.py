"""The fixed-window rate limit (core.ratelimit) on the tests' local cache: exact for
small limits, leased for large ones, never past the limit."""

from __future__ import annotations

import time

from django.core.cache import cache

from core.ratelimit import lease_size, window_remaining
from tests.rate_limits import fresh_key, hits


def test_small_limit_is_exact():
    assert hits(fresh_key(), 5, limit=3) == [True, True, True, False, False]


def test_small_limit_counts_every_hit_in_the_shared_counter():
    key = fresh_key()
    hits(key, 2, limit=3)

    assert cache.get(key) == 2


def test_lease_is_a_hundredth_of_the_limit():
    assert [lease_size(limit) for limit in (1, 99, 100, 1200, 60_000)] == [
        1,
        1,
        1,
        12,
        600,
    ]


def test_lease_share_is_configurable(settings):
    settings.RATE_LIMIT_LEASE_SHARE = 1000

    assert [lease_size(limit) for limit in (999, 1200, 60_000)] == [1, 1, 60]


def test_large_limit_asks_the_shared_counter_once_per_lease():
    key = fresh_key()
    hits(key, 10, limit=1000)
    after_one_lease = cache.get(key)
    hits(key, 1, limit=1000)

    assert (after_one_lease, cache.get(key)) == (10, 20)


def test_hits_taken_by_other_processes_leave_only_the_rest():
    key = fresh_key()
    cache.set(key, 995, timeout=60)  # other processes have leased 995 of 1000

    assert hits(key, 7, limit=1000) == [True] * 5 + [False] * 2


def test_exhausted_window_is_refused_without_asking_the_shared_counter():
    key = fresh_key()
    hits(key, 4, limit=3)
    counted = cache.get(key)

    hits(key, 10, limit=3)

    assert cache.get(key) == counted


def test_counting_starts_again_when_the_window_closes():
    key = fresh_key()
    hits(key, 3, limit=3, window_seconds=1)
    time.sleep(1.2)

    assert hits(key, 1, limit=3, window_seconds=1) == [True]


def test_remaining_time_of_an_open_window():
    key = fresh_key()
    hits(key, 1, limit=3)

    assert 58 < window_remaining(key, window_seconds=60) <= 60


def test_remaining_time_without_a_window_is_the_whole_window():
    assert window_remaining(fresh_key(), window_seconds=60) == 60
