"""The case worker links a subject to the registry person the family tracing found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AccessLog
from tests.factories.odgj import subject
from tests.factories.registry import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(peksos_odgj, kelurahan_a):
    return subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Pak Tua Pasar")


def _link_page(case):
    return reverse("odgj:subject_link_person", args=[case.public_id])


def test_the_case_worker_finds_the_person_and_links_the_subject(
    client, peksos_odgj, kelurahan_a, case
):
    relative = person(kelurahan=kelurahan_a, name="Suparman Hadi", sex="L")
    client.force_login(peksos_odgj)

    found = client.post(_link_page(case), {"q": relative.nik})
    linked = client.post(_link_page(case), {"person": str(relative.public_id)})

    assert str(relative.public_id) in found.content.decode()
    assert linked.status_code == 302
    case.refresh_from_db()
    assert case.person == relative
    assert case.family_traced is True
    assert case.transitions.last().note == "Ditautkan ke data penduduk di registri."


def test_the_search_is_never_in_the_address(client, peksos_odgj, case):
    client.force_login(peksos_odgj)

    page = client.get(_link_page(case)).content.decode()

    assert 'method="post"' in page
    assert 'method="get"' not in page


def test_opening_the_link_page_is_a_logged_read(client, peksos_odgj, case):
    client.force_login(peksos_odgj)

    client.get(_link_page(case))

    assert AccessLog.objects.filter(
        actor=peksos_odgj, purpose="menautkan subjek ODGJ ke registri"
    ).exists()


def test_a_person_with_another_open_case_is_not_linked_twice(
    client, peksos_odgj, kelurahan_a, case
):
    relative = person(kelurahan=kelurahan_a, name="Suparman Hadi", sex="L")
    other = subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Lain")
    client.force_login(peksos_odgj)
    client.post(_link_page(other), {"person": str(relative.public_id)})

    response = client.post(
        _link_page(case), {"person": str(relative.public_id)}, follow=True
    )

    assert "sudah memiliki kasus ODGJ aktif lain" in response.content.decode()
    case.refresh_from_db()
    assert case.person is None


def test_an_operator_cannot_link(client, operator_a, case):
    client.force_login(operator_a)

    response = client.get(_link_page(case))

    assert response.status_code == 403


def test_the_subject_page_offers_the_link_until_there_is_one(
    client, peksos_odgj, kelurahan_a, case
):
    client.force_login(peksos_odgj)
    detail = reverse("odgj:subject_detail", args=[case.public_id])
    assert _link_page(case) in client.get(detail).content.decode()

    relative = person(kelurahan=kelurahan_a, name="Suparman Hadi", sex="L")
    client.post(_link_page(case), {"person": str(relative.public_id)})

    assert _link_page(case) not in client.get(detail).content.decode()
