"""An operator of kelurahan A gets 404 for kelurahan B's records through every entry
point that exists, and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.models import Household, Person, Sktm
from tests.factories.core import PASSWORD
from tests.factories.registry import issued_sktm, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_kelurahan_records(kelurahan_b):
    resident = person(kelurahan=kelurahan_b, name="Warga Prapatan")
    sktm = issued_sktm(for_person=resident)
    return {"person": resident, "household": resident.household, "sktm": sktm}


GET_URLS = [
    ("registry:person_detail", "person"),
    ("registry:person_edit", "person"),
    ("registry:sktm_request", "person"),
    ("registry:household_detail", "household"),
    ("registry:household_edit", "household"),
    ("registry:person_add", "household"),
    ("registry:sktm_detail", "sktm"),
    ("registry:sktm_pdf", "sktm"),
]


@pytest.mark.parametrize(("url_name", "kind"), GET_URLS)
def test_operator_gets_404_for_other_kelurahan(
    client, operator_a, other_kelurahan_records, url_name, kind
):
    client.login(username=operator_a.username, password=PASSWORD)
    obj = other_kelurahan_records[kind]

    response = client.get(reverse(url_name, args=[obj.public_id]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url_name", "kind", "data"),
    [
        ("registry:person_edit", "person", {"name": "Diubah", "version": 1}),
        ("registry:household_edit", "household", {"address": "Diubah", "version": 1}),
        ("registry:person_add", "household", {"name": "Penyusup"}),
    ],
)
def test_operator_cannot_change_other_kelurahan(
    client, operator_a, other_kelurahan_records, url_name, kind, data
):
    client.login(username=operator_a.username, password=PASSWORD)
    obj = other_kelurahan_records[kind]

    response = client.post(reverse(url_name, args=[obj.public_id]), data)

    assert response.status_code == 404
    assert Person.objects.filter(name__in=["Diubah", "Penyusup"]).count() == 0
    assert not Household.objects.filter(address="Diubah").exists()


@pytest.mark.parametrize("action", ["verify", "reject", "revoke", "issue", "resubmit"])
def test_sktm_actions_on_other_kelurahan_are_404(
    client, koordinator_a, other_kelurahan_records, action
):
    client.login(username=koordinator_a.username, password=PASSWORD)
    sktm = other_kelurahan_records["sktm"]

    response = client.post(
        reverse("registry:sktm_action", args=[sktm.public_id, action]), {"reason": "x"}
    )

    assert response.status_code == 404
    sktm.refresh_from_db()
    assert sktm.status == "terbit"


def test_sktm_list_shows_only_own_kelurahan(
    client, operator_a, other_kelurahan_records
):
    client.login(username=operator_a.username, password=PASSWORD)

    response = client.get(reverse("registry:sktm_list"))

    assert other_kelurahan_records["sktm"].number not in response.content.decode()


def test_operator_has_no_admin_access(client, operator_a, other_kelurahan_records):
    client.login(username=operator_a.username, password=PASSWORD)

    response = client.get(reverse("admin:registry_person_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_scoped_querysets_hide_other_kelurahan(operator_a, other_kelurahan_records):
    assert not Person.objects.for_actor(operator_a).exists()
    assert not Household.objects.for_actor(operator_a).exists()
    assert not Sktm.objects.for_actor(operator_a).exists()


def test_liaison_sees_no_registry_rows_in_browser_querysets(
    liaison, other_kelurahan_records
):
    assert not Person.objects.for_actor(liaison).exists()
