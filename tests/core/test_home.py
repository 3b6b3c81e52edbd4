"""The home page: a tile per section the role works in, saying what it is for and
how many of its records wait on this role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bpjs.services.applications import application_approve, application_reject
from core.roles import Role
from odgj.models import OdgjSubject
from odgj.selectors import odgj_worklist
from tests.factories.bpjs import eligible_person, submitted
from tests.factories.core import StaffFactory
from tests.factories.odgj import subject
from tests.factories.registry import issued_sktm, person, requested_sktm

pytestmark = pytest.mark.django_db


def _tiles(client, user) -> dict[str, str | None]:
    client.force_login(user)
    shortcuts = client.get("/").context["shortcuts"]
    return {str(s.label): s.waiting_text if s.waiting else None for s in shortcuts}


def test_every_tile_says_what_its_section_is_for(client):
    for role in Role.values:
        client.force_login(StaffFactory(role=role))
        shortcuts = client.get("/").context["shortcuts"]
        assert [str(s.label) for s in shortcuts if not s.hint] == [], role


def test_a_supervisor_reaches_the_dashboard_from_home(client, supervisor):
    client.force_login(supervisor)
    shortcuts = client.get("/").context["shortcuts"]

    assert "/admin/" in [s.url for s in shortcuts]


def test_sktm_requests_wait_on_the_koordinator_of_their_kelurahan(
    client, koordinator_a, kelurahan_a, kelurahan_b
):
    for name in ("Ani", "Budi"):
        requested_sktm(for_person=person(kelurahan=kelurahan_a, name=name))
    requested_sktm(for_person=person(kelurahan=kelurahan_b, name="Citra"))

    assert _tiles(client, koordinator_a)["SKTM"] == "2 menunggu"


def test_sktm_requests_wait_on_no_operator(client, operator_a, kelurahan_a):
    requested_sktm(for_person=person(kelurahan=kelurahan_a))

    assert _tiles(client, operator_a)["SKTM"] is None


def test_an_application_sent_back_waits_on_its_kelurahan(
    client, operator_a, operator_b, verifikator, kelurahan_a
):
    submitted(eligible_person(kelurahan_a, name="Menunggu Dinsos"))
    application_reject(
        actor=verifikator,
        application=submitted(eligible_person(kelurahan_a, name="Dikembalikan")),
        reason="KK tidak terbaca",
    )

    assert _tiles(client, operator_a)["Pengajuan BPJS"] == "1 menunggu"
    assert _tiles(client, operator_b)["Pengajuan BPJS"] is None


def test_submitted_and_approved_applications_wait_on_the_dinsos_verifier(
    client, verifikator, kelurahan_a
):
    submitted(eligible_person(kelurahan_a, name="Baru"))
    application_approve(
        actor=verifikator,
        application=submitted(eligible_person(kelurahan_a, name="Menunggu DKK")),
    )

    assert _tiles(client, verifikator)["Pengajuan BPJS"] == "2 menunggu"


def test_the_odgj_tile_counts_the_worklists_overdue_cards(
    client, peksos_odgj, kelurahan_a
):
    now = timezone.now()
    for alias, days_in_stage in [("Baru", 2), ("Delapan hari", 8), ("Lama", 30)]:
        found = subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias=alias)
        OdgjSubject.objects.filter(pk=found.pk).update(
            stage_changed_at=now - dt.timedelta(days=days_in_stage)
        )
    overdue_cards = sum(
        item.overdue for items in odgj_worklist(peksos_odgj).values() for item in items
    )

    assert overdue_cards == 2
    assert _tiles(client, peksos_odgj)["ODGJ"] == "2 melewati batas"


def test_a_tile_with_records_waiting_opens_its_list_on_them(
    client, koordinator_a, kelurahan_a
):
    waiting = requested_sktm(for_person=person(kelurahan=kelurahan_a, name="Ani"))
    issued_sktm(for_person=person(kelurahan=kelurahan_a, name="Budi"))
    client.force_login(koordinator_a)
    tile = next(s for s in client.get("/").context["shortcuts"] if s.label == "SKTM")

    listed = client.get(tile.url).context["sktms"]

    assert tile.url == "/registry/sktm/?menunggu=1"
    assert [s.pk for s in listed] == [waiting.pk]


def test_applications_sent_back_are_the_operators_waiting_list(
    client, operator_a, verifikator, kelurahan_a
):
    submitted(eligible_person(kelurahan_a, name="Menunggu Dinsos"))
    sent_back = application_reject(
        actor=verifikator,
        application=submitted(eligible_person(kelurahan_a, name="Dikembalikan")),
        reason="KK tidak terbaca",
    )
    client.force_login(operator_a)

    listed = client.get("/bpjs/?menunggu=1").context["applications"]

    assert [a.pk for a in listed] == [sent_back.pk]
