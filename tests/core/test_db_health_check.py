"""The connection health check (core/postgresql): no round trip on a quiet
connection, and a connection the server has ended is still found and replaced."""

from __future__ import annotations

import time

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def spare(second_connection):
    return second_connection


def _backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_quiet_connection_is_usable_without_a_statement(spare):
    pid = _backend_pid(spare)
    with spare.cursor() as cursor:
        cursor.execute("SELECT 'marker-before-health-check'")

    assert spare.is_usable()
    assert _last_statement(pid) == "SELECT 'marker-before-health-check'"


def test_connection_ended_by_the_server_is_not_usable(spare):
    pid = _backend_pid(spare)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while spare.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)

    assert not spare.is_usable()


def test_health_check_replaces_an_ended_connection(spare):
    pid = _backend_pid(spare)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    spare.health_check_enabled = True
    spare.health_check_done = False

    spare.close_if_health_check_failed()

    assert _backend_pid(spare) != pid
