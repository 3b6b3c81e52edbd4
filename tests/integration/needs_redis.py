"""Tests that need a real Redis: skipped locally without REDIS_URL; with CI=true a
missing Redis fails them."""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "")


def skip_module_without_redis(purpose: str) -> None:
    """Call at module level."""
    if REDIS_URL:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"REDIS_URL is not set: {purpose} need Redis in CI", pytrace=False)
    pytest.skip(f"REDIS_URL not set: {purpose} need Redis", allow_module_level=True)


def redis_reachable() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis at {REDIS_URL} is not reachable", pytrace=False)
