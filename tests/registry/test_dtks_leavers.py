"""The counter's list of residents a DTKS snapshot took out."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.models import DtksProposalStatus, Person
from tests.factories.registry import (
    dtks_proposal,
    in_dtks,
    issued_sktm,
    left_dtks,
    person,
)

pytestmark = pytest.mark.django_db

URL = "/registry/keluar-dtks/"


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_resident_a_snapshot_took_out_is_listed_with_the_period(
    client, operator_a, kelurahan_a
):
    left_dtks(person(kelurahan=kelurahan_a, name="Budi Keluar"))

    page = _page(client, operator_a)

    assert "Budi Keluar" in page
    assert "11-2026" in page


def test_the_counter_sees_only_its_own_kelurahan(
    client, operator_a, kelurahan_a, kelurahan_b
):
    left_dtks(person(kelurahan=kelurahan_b, name="Warga Sebelah"))

    assert "Warga Sebelah" not in _page(client, operator_a)


def test_those_still_in_dtks_or_deceased_are_not_listed(
    client, operator_a, kelurahan_a
):
    in_dtks(person(kelurahan=kelurahan_a, name="Masih Aktif"))
    deceased = person(kelurahan=kelurahan_a, name="Almarhum")
    left_dtks(deceased)
    Person.objects.filter(pk=deceased.pk).update(
        is_deceased=True, deceased_on=dt.date(2026, 10, 5)
    )

    page = _page(client, operator_a)

    assert "Masih Aktif" not in page
    assert "Almarhum" not in page


def test_a_valid_sktm_and_an_open_usulan_dtks_show_as_follow_up(
    client, operator_a, kelurahan_a
):
    with_sktm = person(kelurahan=kelurahan_a, name="Punya SKTM")
    issued_sktm(for_person=with_sktm, purpose="bpjs")
    left_dtks(with_sktm)
    proposal = dtks_proposal(kelurahan=kelurahan_a, to=DtksProposalStatus.AGREED)
    left_dtks(proposal.household.members.get())
    left_dtks(person(kelurahan=kelurahan_a, name="Belum Dihubungi"))

    page = _page(client, operator_a)

    # Each mark on its own resident's row only.
    assert page.count("SKTM berlaku") == 1
    assert page.count("Usulan DTKS berjalan") == 1
    assert page.count("Belum ada") == 1
