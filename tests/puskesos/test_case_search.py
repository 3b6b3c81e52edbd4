"""Finding a case at the counter: by the ticket the citizen holds, the NIK, or the
name, within the staff member's kelurahan."""

from __future__ import annotations

import pytest

from tests.factories.puskesos import case
from tests.factories.registry import make_nik

pytestmark = pytest.mark.django_db


def _found(client, user, query) -> list[str]:
    client.force_login(user)
    response = client.post("/puskesos/kasus/", {"q": query})
    assert response.status_code == 200
    return [c.applicant_name for c in response.context["cases"]]


def test_a_ticket_typed_loosely_finds_its_case(client, operator_a, kelurahan_a):
    wanted = case(kelurahan=kelurahan_a, applicant_name="Wulan Mappa")
    case(kelurahan=kelurahan_a, applicant_name="Iwan Rahayu")
    typed = wanted.ticket_code.replace("-", " ").lower()

    assert _found(client, operator_a, typed) == ["Wulan Mappa"]


def test_the_applicants_nik_finds_the_case(client, operator_a, kelurahan_a):
    nik = make_nik()
    case(kelurahan=kelurahan_a, applicant_name="Putri Daeng", nik=nik)
    case(kelurahan=kelurahan_a, applicant_name="Iwan Rahayu")

    assert _found(client, operator_a, nik) == ["Putri Daeng"]


def test_part_of_the_name_finds_the_case(client, operator_a, kelurahan_a):
    case(kelurahan=kelurahan_a, applicant_name="Putri Daeng")
    case(kelurahan=kelurahan_a, applicant_name="Iwan Rahayu")

    assert _found(client, operator_a, "daeng") == ["Putri Daeng"]


def test_a_case_of_another_kelurahan_is_not_found(client, operator_a, kelurahan_b):
    elsewhere = case(kelurahan=kelurahan_b, applicant_name="Putri Daeng")

    assert _found(client, operator_a, elsewhere.ticket_code) == []


def test_the_search_is_sent_in_the_body_not_the_address(client, operator_a):
    client.force_login(operator_a)

    page = client.get("/puskesos/kasus/").content.decode()

    assert 'id="list-search"' in page
    assert '<form method="post" action="/puskesos/kasus/"' in page
