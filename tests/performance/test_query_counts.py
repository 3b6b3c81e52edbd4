"""No page or endpoint whose query count grows with the number of rows it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Kelurahan
from core.roles import Role
from registry.models import DtksProposalStatus
from registry.services.arrivals import reported_move_dismiss
from registry.services.dtks_leavers import dtks_leaver_record_contact
from tests.api.conftest import fetch_token, make_client_app
from tests.factories.bpjs import eligible_person, submitted
from tests.factories.core import StaffFactory
from tests.factories.odgj import subject, verified_subject
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import (
    dtks_proposal,
    left_dtks,
    person,
    reported_move_in,
)

pytestmark = pytest.mark.django_db


def _add_rows(kelurahan, peksos, n):
    elsewhere = Kelurahan.objects.exclude(pk=kelurahan.pk).first()
    counter = StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan)
    for i in range(n):
        # Dukcapil's reports of moves into the kelurahan: one waiting, one closed.
        for waiting in (True, False):
            mover = person(kelurahan=elsewhere, name=f"Warga Pindah {i}")
            report = reported_move_in(mover, to=kelurahan)
            if not waiting:
                reported_move_dismiss(actor=counter, change=report, note="Tak dikenal")
        resident = eligible_person(kelurahan, name=f"Siti Warga {i}")
        submitted(resident)
        puskesos_case(kelurahan=kelurahan, applicant_name="A", nik=resident.nik)
        subject(actor=peksos, kelurahan=kelurahan, alias=f"Subjek {i}")
        proposal = dtks_proposal(
            kelurahan=kelurahan,
            name=f"Calon DTKS {i}",
            to=DtksProposalStatus.VERIFIED if i % 2 else DtksProposalStatus.REGISTERED,
        )
        left_dtks(proposal.household.members.get())
        left_dtks(resident)
        # Each call shown with its caller.
        dtks_leaver_record_contact(
            actor=StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan),
            person=resident,
            outcome="tidak_terhubung",
            note=f"Coba lagi {i}",
        )


def _queries(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("operator", "post", "/registry/cari/", {"data": {"q": "siti"}}),
    ("operator", "get", "/registry/sktm/", {}),
    ("operator", "get", "/registry/keluar-dtks/", {}),
    ("operator", "get", "/registry/usulan-dtks/", {}),
    ("operator", "get", "/registry/pindah-datang/", {}),
    ("supervisor", "get", "/registry/usulan-dtks/", {}),
    ("operator", "get", "/bpjs/", {}),
    ("operator", "get", "/puskesos/kasus/", {}),
    ("operator", "get", "/puskesos/", {}),
    ("peksos", "get", "/odgj/", {}),
    ("supervisor", "get", "/admin/", {}),
    ("operator", "get", "/", {}),
    ("operator", "get", "/bpjs/penghapusan/", {}),
    ("operator", "get", "/bpjs/peserta/", {}),
    ("supervisor", "get", "/bpjs/batch/", {}),
    ("supervisor", "get", "/bpjs/iuran/", {}),
    ("supervisor", "get", "/registry/dtks/", {}),
    ("supervisor", "get", "/odgj/kunjungan/baru/", {}),
    ("peksos", "get", "/", {}),
    ("anonymous", "get", "/transparansi/", {}),
]


@pytest.mark.parametrize(("who", "method", "url", "kwargs"), PAGES)
def test_page_query_count_does_not_grow_with_rows(
    client, kelurahan_a, operator_a, peksos_odgj, supervisor, who, method, url, kwargs
):
    users = {"operator": operator_a, "peksos": peksos_odgj, "supervisor": supervisor}
    if who in users:
        client.force_login(users[who])
    _add_rows(kelurahan_a, peksos_odgj, 2)
    few = _queries(client, method, url, **kwargs)

    _add_rows(kelurahan_a, peksos_odgj, 6)
    many = _queries(client, method, url, **kwargs)

    assert many <= few, f"{url}: {few} queries for 2 rows, {many} for 8"


def _household_page(kelurahan, peksos):
    from tests.factories.registry import household, person

    family = household(kelurahan=kelurahan)
    person(in_household=family, name="Kepala Keluarga")

    def grow(n):
        for i in range(n):
            person(in_household=family, name=f"Anak {i}", relationship="anak")

    return f"/registry/keluarga/{family.public_id}/", grow


def _proposal_page(kelurahan, peksos):
    from tests.factories.registry import person

    proposal = dtks_proposal(kelurahan=kelurahan)

    def grow(n):
        for i in range(n):
            person(
                in_household=proposal.household, name=f"Anak {i}", relationship="anak"
            )

    return f"/registry/usulan-dtks/{proposal.public_id}/", grow


def _subject_page(kelurahan, peksos):
    from odgj.models import Guardian
    from odgj.services import guardian_add

    found = subject(actor=peksos, kelurahan=kelurahan, alias="Subjek")

    def grow(n):
        for i in range(n):
            guardian_add(
                actor=peksos,
                subject=found,
                guardian_type=Guardian.Type.FAMILY,
                relation=Guardian.Relation.SIBLING,
                name=f"Saudara {i}",
            )

    return f"/odgj/subjek/{found.public_id}/", grow


@pytest.mark.parametrize(
    ("who", "detail_page"),  # not "page": pytest-playwright's fixture
    [
        ("operator", _household_page),
        ("peksos", _subject_page),
        ("operator", _proposal_page),
    ],
    ids=["household", "odgj_subject", "dtks_proposal"],
)
def test_detail_page_query_count_does_not_grow_with_its_rows(
    client, kelurahan_a, operator_a, peksos_odgj, who, detail_page
):
    client.force_login({"operator": operator_a, "peksos": peksos_odgj}[who])
    url, grow = detail_page(kelurahan_a, peksos_odgj)
    grow(2)
    few = _queries(client, "get", url)

    grow(6)
    many = _queries(client, "get", url)

    assert many <= few, f"{url}: {few} queries for 2 rows, {many} for 8"


def test_api_waiting_list_query_count_does_not_grow(liaison, kelurahan_a, peksos_odgj):
    from rest_framework.test import APIClient

    def verified(n):
        for i in range(n):
            verified_subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias=f"S{i}")

    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {fetch_token(make_client_app(liaison))}"
    )
    verified(2)
    few = _queries(api, "get", "/api/v1/odgj/menunggu/")
    verified(6)
    many = _queries(api, "get", "/api/v1/odgj/menunggu/")

    assert many <= few


def test_status_by_nik_is_one_statement(liaison, kelurahan_a):
    """The partner API's hottest call: one statement reads the status and writes the
    read log; the token was read by the first call (core.api.loaded_tokens)."""
    from rest_framework.test import APIClient

    resident = eligible_person(kelurahan_a)
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {fetch_token(make_client_app(liaison))}"
    )

    # The first call also caches the content type, as a running server has.
    api.post("/api/v1/status-layanan/", {"nik": resident.nik}, format="json")

    with CaptureQueriesContext(connection) as captured:
        api.post("/api/v1/status-layanan/", {"nik": resident.nik}, format="json")

    assert len(captured) == 1, [q["sql"][:60] for q in captured]


def _changelists() -> list[str]:
    from django.contrib import admin
    from django.urls import reverse

    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def test_admin_changelists_query_count_does_not_grow_with_rows(
    client, kelurahan_a, peksos_odgj, admin_user
):
    from tests.factories.bpjs import participant

    def add_rows(first: int, n: int) -> None:
        _add_rows(kelurahan_a, peksos_odgj, n)
        for i in range(first, first + n):  # batches, coverage, their people
            participant(kelurahan_a, card=f"{i:013d}")

    client.force_login(admin_user)
    add_rows(0, 2)
    few = {url: _count_if_shown(client, url) for url in _changelists()}

    add_rows(2, 6)
    many = {url: _count_if_shown(client, url) for url in _changelists()}

    grown = {url: (few[url], many[url]) for url in few if many[url] > few[url]}
    assert not grown, grown
    assert sum(1 for n in few.values() if n) > 10  # most are shown to the admin


def _count_if_shown(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured) if response.status_code == 200 else 0
