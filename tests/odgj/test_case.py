from __future__ import annotations

import pytest
from django.db import connection

from core.exceptions import ApplicationError, InvalidTransitionError
from odgj.models import FollowUp, Guardian, OdgjSubject, Stage
from odgj.services import (
    guardian_add,
    odgj_case_transition,
    odgj_subject_link_person,
    odgj_subject_update_notes,
)
from registry.models import Person
from tests.factories.odgj import subject, verified_subject
from tests.factories.registry import make_kk, make_nik, person

pytestmark = pytest.mark.django_db

ORDER = [
    Stage.IDENTIFIED,
    Stage.DATA_VERIFIED,
    Stage.RECORDED,
    Stage.NIK_ISSUED,
    Stage.KTP_PRINTED,
    Stage.KTP_DELIVERED,
]


def _verified(peksos, kelurahan):
    return verified_subject(actor=peksos, kelurahan=kelurahan)


def test_subject_can_start_with_no_identity(peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a, alias="Tanpa nama")

    assert s.person is None
    assert s.stage == Stage.IDENTIFIED
    assert s.transitions.get().to_state == Stage.IDENTIFIED


def test_health_notes_are_encrypted_at_rest(peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    odgj_subject_update_notes(actor=peksos_odgj, subject=s, health_notes="Skizofrenia")

    with connection.cursor() as cursor:
        cursor.execute("SELECT health_notes, condition_notes FROM odgj_odgjsubject")
        health, condition = cursor.fetchone()

    assert "Skizofrenia" not in health
    assert health.startswith("fernet:")
    assert "Bicara sendiri" not in condition
    assert OdgjSubject.objects.get().health_notes == "Skizofrenia"


def test_data_verified_needs_family_or_laporan_sosial_with_institution(
    peksos_odgj, kelurahan_a
):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    with pytest.raises(ApplicationError, match="Laporan Sosial"):
        odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.DATA_VERIFIED)


def test_walk_to_ktp_delivered_with_new_nik_creates_person(peksos_odgj, kelurahan_a):
    s = _verified(peksos_odgj, kelurahan_a)
    s = odgj_case_transition(
        actor=peksos_odgj,
        subject=s,
        to_stage=Stage.RECORDED,
        capture_result="foto_saja",
    )
    nik, kk = make_nik(), make_kk()
    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.NIK_ISSUED, nik=nik, kk=kk
    )
    s = odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.KTP_PRINTED)
    s = odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.KTP_DELIVERED)

    assert s.person.nik == nik
    assert s.person.household.kk_number == kk
    assert list(s.transitions.values_list("to_state", flat=True)) == ORDER
    assert set(s.follow_ups.values_list("kind", flat=True)) == {
        FollowUp.Kind.PUSKESMAS,
        FollowUp.Kind.BPJS,
    }


def test_existing_nik_links_to_the_person_instead_of_duplicating(
    peksos_odgj, kelurahan_a
):
    known = person(kelurahan=kelurahan_a, name="Ahmad Yani", sex="L")
    s = _verified(peksos_odgj, kelurahan_a)
    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.RECORDED, capture_result="lengkap"
    )

    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.EXISTING_NIK_FOUND, nik=known.nik
    )

    assert s.person == known
    assert Person.objects.filter(nik=known.nik).count() == 1


def test_nik_from_another_region_opens_return_coordination(peksos_odgj, kelurahan_a):
    samarinda = person(kelurahan=kelurahan_a, nik=make_nik(district="647201"))
    s = _verified(peksos_odgj, kelurahan_a)
    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.RECORDED, capture_result="lengkap"
    )

    s = odgj_case_transition(
        actor=peksos_odgj,
        subject=s,
        to_stage=Stage.EXISTING_NIK_FOUND,
        nik=samarinda.nik,
    )

    assert s.origin_regency == "SAMARINDA"
    assert s.follow_ups.filter(kind=FollowUp.Kind.ORIGIN).exists()


def test_nik_arrival_for_linked_person_without_nik_sets_it(peksos_odgj, kelurahan_a):
    relative = person(kelurahan=kelurahan_a, nik=None, name="Budi")
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    odgj_subject_link_person(actor=peksos_odgj, subject=s, person=relative)
    s = odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.DATA_VERIFIED)
    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.RECORDED, capture_result="lengkap"
    )
    nik = make_nik()

    odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.NIK_ISSUED, nik=nik, kk=make_kk()
    )

    relative.refresh_from_db()
    assert relative.nik == nik
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Stage.IDENTIFIED, Stage.RECORDED),
        (Stage.IDENTIFIED, Stage.KTP_DELIVERED),
        (Stage.IDENTIFIED, Stage.NIK_ISSUED),
    ],
)
def test_forbidden_transitions_are_refused(peksos_odgj, kelurahan_a, start, target):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    with pytest.raises(InvalidTransitionError, match="tidak dapat berpindah"):
        odgj_case_transition(
            actor=peksos_odgj,
            subject=s,
            to_stage=target,
            nik=make_nik(),
            kk=make_kk(),
            capture_result="lengkap",
        )


def test_recorded_needs_capture_result(peksos_odgj, kelurahan_a):
    s = _verified(peksos_odgj, kelurahan_a)

    with pytest.raises(ApplicationError, match="hasil perekaman"):
        odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.RECORDED)


def test_invalid_nik_is_refused(peksos_odgj, kelurahan_a):
    s = _verified(peksos_odgj, kelurahan_a)
    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.RECORDED, capture_result="lengkap"
    )

    with pytest.raises(ApplicationError, match="16 digit"):
        odgj_case_transition(
            actor=peksos_odgj,
            subject=s,
            to_stage=Stage.NIK_ISSUED,
            nik="12345",
            kk=make_kk(),
        )


def test_closed_case_cannot_move(peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    s = odgj_case_transition(
        actor=peksos_odgj, subject=s, to_stage=Stage.CLOSED, close_reason="reunified"
    )

    with pytest.raises(InvalidTransitionError):
        odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.DATA_VERIFIED)


def test_close_needs_a_reason(peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    with pytest.raises(ApplicationError, match="alasan penutupan"):
        odgj_case_transition(actor=peksos_odgj, subject=s, to_stage=Stage.CLOSED)


def test_pengampu_needs_court_order(peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)

    with pytest.raises(ApplicationError, match="penetapan pengadilan"):
        guardian_add(
            actor=peksos_odgj,
            subject=s,
            guardian_type=Guardian.Type.PENGAMPU,
            relation=Guardian.Relation.SIBLING,
            name="Kakak",
        )


def test_operator_may_report_but_not_move_a_case(operator_a, kelurahan_a):
    s = subject(actor=operator_a, kelurahan=kelurahan_a)

    with pytest.raises(ApplicationError, match="tidak berwenang"):
        odgj_case_transition(
            actor=operator_a, subject=s, to_stage=Stage.CLOSED, close_reason="refused"
        )


def test_second_open_case_for_same_person_is_refused(peksos_odgj, kelurahan_a):
    known = person(kelurahan=kelurahan_a)
    subject(actor=peksos_odgj, kelurahan=kelurahan_a, person=known)

    with pytest.raises(ApplicationError, match="sudah memiliki kasus"):
        subject(actor=peksos_odgj, kelurahan=kelurahan_a, person=known)


def test_every_change_bumps_the_change_sequence(peksos_odgj, kelurahan_a):
    s = subject(actor=peksos_odgj, kelurahan=kelurahan_a)
    first = s.change_seq

    s = odgj_subject_update_notes(actor=peksos_odgj, subject=s, health_notes="x")

    assert s.change_seq > first
