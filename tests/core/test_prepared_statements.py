"""Prepared statements (core/postgresql): the partner API's status statement is
planned once per connection; Django's own queries are never prepared, and the
setting turns preparing off for poolers that cannot keep prepared statements."""

from __future__ import annotations

import pytest
from django.db import connection

from core.postgresql.base import prepared_cursor
from odgj.selectors import service_status_by_nik
from registry.models import Person
from tests.factories.core import StaffFactory, kelurahan
from tests.factories.registry import make_nik, person

pytestmark = pytest.mark.django_db


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _statements_touching(table: str) -> list[str]:
    return [sql for sql in _prepared_statements() if table in sql]


def test_status_by_nik_is_prepared_once_per_connection():
    actor = StaffFactory()
    resident = person(kelurahan=kelurahan())

    for _ in range(3):
        status = service_status_by_nik(actor, resident.nik)

    assert status.found
    assert len(_statements_touching("core_accesslog")) == 1


def test_prepared_status_call_answers_as_before_for_each_nik():
    actor = StaffFactory()
    known, unknown_nik = person(kelurahan=kelurahan()), make_nik()

    answers = [
        service_status_by_nik(actor, nik).found
        for nik in (known.nik, unknown_nik, known.nik, unknown_nik)
    ]

    assert answers == [True, False, True, False]


def test_django_queries_are_not_prepared_after_a_prepared_cursor_ran():
    resident = person(kelurahan=kelurahan())
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int", [1])

    for _ in range(10):
        Person.objects.filter(nik=resident.nik).exists()

    # Django quotes its column names; the status statement does not.
    assert _statements_touching('"registry_person"."nik"') == []


@pytest.mark.django_db(transaction=True)
def test_prepared_cursor_survives_a_new_connection():
    actor, resident = StaffFactory(), person(kelurahan=kelurahan())
    service_status_by_nik(actor, resident.nik)
    # The prepared statements went with the old session; psycopg's memory of them
    # goes with its connection object.
    connection.close()

    assert service_status_by_nik(actor, resident.nik).found


def test_setting_off_prepares_nothing(settings):
    settings.DB_PREPARED_STATEMENTS = False
    actor, resident = StaffFactory(), person(kelurahan=kelurahan())

    for _ in range(3):
        service_status_by_nik(actor, resident.nik)

    assert _statements_touching("core_accesslog") == []
