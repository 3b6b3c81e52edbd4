"""The connection health check (core/postgresql): no round trip on a quiet
connection, and a connection the server has ended is still found and replaced; and
the server's own check: the statement of a client that died is cancelled."""

from __future__ import annotations

import os
import subprocess
import sys
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
    # The backend ends a moment after it is told to (longer on a busy machine).
    assert _wait(lambda: not _backend_alive(pid), 5)
    spare.health_check_enabled = True
    spare.health_check_done = False

    spare.close_if_health_check_failed()

    assert _backend_pid(spare) != pid


def _backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] > 0


def _running(marker: str) -> bool:
    with connection.cursor() as cursor:
        # The test's transaction would otherwise keep its first view of the activity.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE state = 'active' AND query LIKE %s AND pid <> pg_backend_pid()",
            [f"%{marker}%"],
        )
        return cursor.fetchone()[0] > 0


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_statement_of_a_killed_client_is_cancelled(tmp_path):
    """A worker killed mid-import must not leave its statement running (and holding
    its locks) in PostgreSQL until the statement ends by itself."""
    marker = f"killed-client-{time.monotonic_ns()}"
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django\n"
            "django.setup()\n"
            "from django.db import connection\n"
            f'connection.cursor().execute("SELECT pg_sleep(300) -- {marker}")\n',
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "DB_CLIENT_CHECK_SECONDS": "1",
        },
    )
    try:
        assert _wait(lambda: _running(marker), 60)
    finally:
        client.kill()
        client.wait(10)

    assert _wait(lambda: not _running(marker), 10)
