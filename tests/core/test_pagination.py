"""Staff lists show every record a page at a time, and say where the reader is."""

from __future__ import annotations

import pytest

from core.pagination import PAGE_SIZE, page_of, uncounted_page_of
from puskesos.models import Case
from tests.factories.puskesos import case

pytestmark = pytest.mark.django_db


def _cases(kelurahan, n):
    return [case(kelurahan=kelurahan, applicant_name=f"Warga {i}") for i in range(n)]


def _tickets(response) -> list[str]:
    return [c.ticket_code for c in response.context["cases"]]


def test_a_list_longer_than_a_page_continues_on_the_next(
    client, operator_a, kelurahan_a
):
    _cases(kelurahan_a, PAGE_SIZE + 1)
    client.force_login(operator_a)

    first = client.get("/puskesos/kasus/")
    second = client.get("/puskesos/kasus/?page=2")

    assert len(_tickets(first)) == PAGE_SIZE
    assert len(_tickets(second)) == 1
    assert f"1\N{EN DASH}{PAGE_SIZE} dari {PAGE_SIZE + 1}" in first.content.decode()


def test_a_list_sorted_by_a_shared_timestamp_is_also_sorted_by_key(rf):
    # PostgreSQL returns rows tied on the sort key in any order, and may do so
    # differently for each page's LIMIT/OFFSET: a record could show twice or never.
    page = page_of(rf.get("/"), Case.objects.all())

    assert page.paginator.object_list.query.order_by == ("-created_at", "-pk")


def test_page_links_keep_the_chosen_filter(client, operator_a, kelurahan_a):
    _cases(kelurahan_a, PAGE_SIZE + 1)
    client.force_login(operator_a)

    response = client.get("/puskesos/kasus/?status=received")

    assert 'href="?status=received&amp;page=2"' in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, operator_a, kelurahan_a):
    _cases(kelurahan_a, PAGE_SIZE + 1)
    client.force_login(operator_a)

    response = client.get("/puskesos/kasus/?page=99")

    assert response.status_code == 200
    assert len(_tickets(response)) == 1


# Lists too long to count on every view (uncounted_page_of).


def test_an_uncounted_page_knows_whether_another_follows(rf, kelurahan_a):
    _cases(kelurahan_a, PAGE_SIZE + 1)

    first = uncounted_page_of(rf.get("/"), Case.objects.all())
    second = uncounted_page_of(rf.get("/?page=2"), Case.objects.all())

    assert (len(first), first.has_next, first.has_previous) == (PAGE_SIZE, True, False)
    assert (len(second), second.has_next, second.has_previous) == (1, False, True)


def test_an_uncounted_page_past_the_end_gives_the_last_one(rf, kelurahan_a):
    # As when the last row of the last page has just left the list.
    _cases(kelurahan_a, PAGE_SIZE)

    page = uncounted_page_of(rf.get("/?page=2"), Case.objects.all())

    assert (page.number, len(page)) == (1, PAGE_SIZE)


def test_an_uncounted_page_number_that_is_not_a_number_gives_the_first(rf, kelurahan_a):
    _cases(kelurahan_a, 1)

    page = uncounted_page_of(rf.get("/?page=dua"), Case.objects.all())

    assert (page.number, len(page)) == (1, 1)
