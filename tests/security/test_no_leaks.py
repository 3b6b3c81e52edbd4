"""Property: whatever the role and kelurahan of a user, and whatever the kelurahan of a
record, the user reaches the record (detail page, list page, search, API) exactly when
the role and area rules allow it."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.roles import KELURAHAN_BOUND_ROLES, Role
from tests.factories.bpjs import eligible_person, submitted
from tests.factories.core import StaffFactory, kelurahan
from tests.factories.odgj import subject
from tests.factories.puskesos import case as puskesos_case
from tests.factories.registry import dtks_proposal

pytestmark = pytest.mark.django_db

AREAS = ["64.71.01.1001", "64.71.06.1001"]
LABEL = {"64.71.01.1001": "Manggar", "64.71.06.1001": "Prapatan"}
BROWSER_ROLES = [
    Role.OPERATOR_KELURAHAN,
    Role.KOORDINATOR_PUSKESOS,
    Role.VERIFIKATOR_DINSOS,
    Role.SUPERVISOR_DINSOS,
    Role.PEKERJA_SOSIAL_ODGJ,
    Role.ADMIN,
]
# Which kinds each role may open at all (area rules come on top for kelurahan roles).
ALLOWED = {
    "person": set(BROWSER_ROLES),
    "household": set(BROWSER_ROLES),
    "sktm": set(BROWSER_ROLES),
    "proposal": set(BROWSER_ROLES),
    "bpjs": {
        Role.OPERATOR_KELURAHAN,
        Role.KOORDINATOR_PUSKESOS,
        Role.VERIFIKATOR_DINSOS,
        Role.SUPERVISOR_DINSOS,
        Role.ADMIN,
    },
    "case": set(BROWSER_ROLES),
    "odgj": {Role.PEKERJA_SOSIAL_ODGJ},  # supervisors/admins only through break-glass
}


def _records(area: str, peksos) -> dict[str, tuple[str, str]]:
    """kind → (detail URL, a marker that only this record's pages show)."""
    resident = eligible_person(kelurahan(area), name=f"Warga {LABEL[area]}")
    application = submitted(resident)
    case = puskesos_case(
        kelurahan=kelurahan(area),
        applicant_name=f"Pemohon {LABEL[area]}",
        nik=resident.nik,
    )
    odgj = subject(
        actor=peksos, kelurahan=kelurahan(area), alias=f"Subjek {LABEL[area]}"
    )
    sktm = resident.sktm_set.get()
    proposal = dtks_proposal(kelurahan=kelurahan(area), name=f"Calon {LABEL[area]}")
    return {
        "person": (f"/registry/penduduk/{resident.public_id}/", resident.nik),
        "household": (
            f"/registry/keluarga/{resident.household.public_id}/",
            resident.nik,
        ),
        "sktm": (f"/registry/sktm/{sktm.public_id}/", sktm.number),
        "proposal": (
            f"/registry/usulan-dtks/{proposal.public_id}/",
            proposal.household.kk_number,
        ),
        "bpjs": (f"/bpjs/pengajuan/{application.public_id}/", resident.name),
        "case": (f"/puskesos/kasus/{case.public_id}/", case.ticket_code),
        "odgj": (f"/odgj/subjek/{odgj.public_id}/", odgj.alias),
    }


LISTS = {
    "sktm": "/registry/sktm/",
    "proposal": "/registry/usulan-dtks/",
    "bpjs": "/bpjs/",
    "case": "/puskesos/kasus/",
    "odgj": "/odgj/",
}


def test_no_cross_area_or_cross_role_leak(peksos_odgj):
    records = {area: _records(area, peksos_odgj) for area in AREAS}
    users = {
        (role, area): StaffFactory(role=role, kelurahan=kelurahan(area))
        for role in BROWSER_ROLES
        for area in AREAS
    }

    @given(
        role=st.sampled_from(BROWSER_ROLES),
        user_area=st.sampled_from(AREAS),
        record_area=st.sampled_from(AREAS),
        kind=st.sampled_from(list(ALLOWED)),
    )
    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(role, user_area, record_area, kind):
        client = Client()
        client.force_login(users[(role, user_area)])
        url, marker = records[record_area][kind]
        allowed = role in ALLOWED[kind] and (
            role not in KELURAHAN_BOUND_ROLES or user_area == record_area
        )

        detail = client.get(url)
        if allowed:
            assert detail.status_code == 200, (role, kind, url)
        elif kind == "odgj" and role in (Role.SUPERVISOR_DINSOS, Role.ADMIN):
            assert detail.status_code == 302
            assert "akses-darurat" in detail["Location"]
        else:
            assert detail.status_code in (403, 404), (role, kind, detail.status_code)
            assert marker not in detail.content.decode()

        if kind in LISTS:
            listing = client.get(LISTS[kind])
            shown = listing.status_code == 200 and marker in listing.content.decode()
            if role in KELURAHAN_BOUND_ROLES and user_area != record_area:
                assert not shown, (role, kind)

        if kind == "sktm":  # the printable export follows the same rule
            pdf = client.get(url + "surat.pdf")
            assert (pdf.status_code == 200) == allowed, (role, "sktm pdf")

        # Admin changelists (and their counts) are for Dinsos roles only, scoped.
        admin = client.get("/admin/registry/person/")
        if role in KELURAHAN_BOUND_ROLES or role == Role.PEKERJA_SOSIAL_ODGJ:
            assert admin.status_code in (302, 403)
        else:
            assert admin.status_code == 200

        person_url, nik = records[record_area]["person"]
        search = client.post("/registry/cari/", {"q": nik})
        found = person_url in search.content.decode()
        assert found == (role not in KELURAHAN_BOUND_ROLES or user_area == record_area)

    check()
