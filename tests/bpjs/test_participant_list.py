"""The staff list of current PBPU Pemda participants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bpjs.services.removals import (
    removal_approve,
    removal_finalize_due,
    removal_propose,
)
from registry.services.arrivals import household_move_in
from tests.factories.bpjs import participant

pytestmark = pytest.mark.django_db

URL = "/bpjs/peserta/"


def _names(response) -> list[str]:
    return [c.person.name for c in response.context["participants"]]


def test_an_operator_sees_the_participants_of_her_kelurahan_only(
    client, kelurahan_a, kelurahan_b, operator_a
):
    mine = participant(kelurahan_a)
    participant(kelurahan_b, card="0000000000002")
    client.force_login(operator_a)

    response = client.get(URL)

    assert _names(response) == [mine.person.name]
    assert mine.card_number in response.content.decode()
    assert "usulkan penghapusan" not in response.content.decode()


def test_a_participant_whose_coverage_ended_is_no_longer_listed(
    client, kelurahan_a, supervisor
):
    coverage = participant(kelurahan_a)
    proposal = removal_approve(
        actor=supervisor,
        proposal=removal_propose(
            actor=supervisor,
            coverage=coverage,
            reason="bekerja_formal",
            evidence="Terdaftar PPU oleh PT X",
        ),
    )
    proposal.response_deadline = dt.date(2026, 11, 10)
    proposal.save()
    removal_finalize_due(today=dt.date(2026, 11, 20))
    client.force_login(supervisor)

    response = client.get(URL)

    assert _names(response) == []


@pytest.mark.parametrize("typed", ["nik", "card"])
def test_a_participant_is_found_by_nik_or_card_number(
    client, kelurahan_a, verifikator, typed
):
    found = participant(kelurahan_a, card="0001112223334")
    participant(kelurahan_a, card="0009998887776")
    client.force_login(verifikator)

    query = found.person.nik if typed == "nik" else "0001112223334"
    response = client.post(URL, {"q": query})

    assert _names(response) == [found.person.name]
    removal = reverse("bpjs:removal_create", args=[found.person.public_id])
    assert removal in response.content.decode()


def test_the_list_query_count_does_not_grow_with_participants(
    client, kelurahan_a, verifikator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.force_login(verifikator)
    for i in range(2):
        participant(kelurahan_a, card=f"000000000001{i}")
    few = queries()
    for i in range(4):
        participant(kelurahan_a, card=f"000000000002{i}")

    assert queries() <= few


def test_a_participant_who_moves_within_the_city_is_listed_by_the_new_kelurahan(
    client, kelurahan_a, operator_a, operator_b
):
    covered = participant(kelurahan_a)
    home = covered.person.household
    household_move_in(
        actor=operator_b,
        household=home,
        version=home.version,
        kelurahan=operator_b.kelurahan,
        kk_number=None,
        rt="007",
        rw="004",
        address="Jl. Baru No. 7",
    )

    client.force_login(operator_b)
    assert _names(client.get(URL)) == [covered.person.name]
    client.force_login(operator_a)
    assert _names(client.get(URL)) == []
