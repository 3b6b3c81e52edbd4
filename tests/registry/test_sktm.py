from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import ApplicationError, InvalidTransitionError
from core.roles import Role
from registry.models import Sktm, SktmPurpose, SktmStatus
from registry.services.sktm import (
    sktm_expire_due,
    sktm_issue,
    sktm_reject,
    sktm_request,
    sktm_resubmit,
    sktm_revoke,
    sktm_verify,
)
from tests.concurrency import at_once
from tests.factories.core import StaffFactory
from tests.factories.registry import issued_sktm, person

pytestmark = pytest.mark.django_db


def _request(operator, resident, purpose="kesehatan"):
    return sktm_request(
        actor=operator,
        person=resident,
        purpose=SktmPurpose.objects.get(code=purpose),
        pengantar_number="012/RT-03/2026",
        pengantar_date=dt.date(2026, 11, 2),
    )


@pytest.fixture
def resident(kelurahan_a, operator_a):
    return person(kelurahan=kelurahan_a, actor=operator_a)


def test_full_lifecycle_records_every_transition(resident, operator_a, koordinator_a):
    sktm = _request(operator_a, resident)
    sktm = sktm_verify(actor=koordinator_a, sktm=sktm, note="Dokumen lengkap")
    sktm = sktm_issue(
        actor=koordinator_a,
        sktm=sktm,
        signed_by_name="H. Lurah Manggar",
        signed_by_nip="197001011990031001",
        issued_on=dt.date(2026, 11, 3),
    )

    assert sktm.status == SktmStatus.ISSUED
    assert sktm.number == "0001/SKTM/64.71.01.1001/2026"
    assert sktm.valid_until == dt.date(2026, 11, 3) + dt.timedelta(days=180)
    steps = list(sktm.transitions.values_list("to_state", "actor_id"))
    assert steps == [
        (SktmStatus.REQUESTED, operator_a.pk),
        (SktmStatus.VERIFIED, koordinator_a.pk),
        (SktmStatus.ISSUED, koordinator_a.pk),
    ]


def test_operator_cannot_verify(resident, operator_a):
    sktm = _request(operator_a, resident)

    with pytest.raises(ApplicationError, match="tidak berwenang"):
        sktm_verify(actor=operator_a, sktm=sktm)


def test_issue_before_verification_is_an_illegal_transition(
    resident, operator_a, koordinator_a
):
    sktm = _request(operator_a, resident)

    with pytest.raises(InvalidTransitionError, match="Diajukan"):
        sktm_issue(
            actor=koordinator_a, sktm=sktm, signed_by_name="X", signed_by_nip="1"
        )


def test_rejected_request_can_be_corrected_and_resubmitted(
    resident, operator_a, koordinator_a
):
    sktm = _request(operator_a, resident)
    sktm_reject(actor=koordinator_a, sktm=sktm, reason="Pengantar RT belum ada")

    sktm = sktm_resubmit(actor=operator_a, sktm=sktm, note="Pengantar dilampirkan")

    assert sktm.status == SktmStatus.REQUESTED
    assert sktm.rejection_reason == "Pengantar RT belum ada"


def test_reject_needs_a_reason(resident, operator_a, koordinator_a):
    sktm = _request(operator_a, resident)

    with pytest.raises(ApplicationError, match="Alasan penolakan wajib"):
        sktm_reject(actor=koordinator_a, sktm=sktm, reason=" ")


def test_duplicate_open_request_for_same_purpose_is_refused(resident, operator_a):
    _request(operator_a, resident)

    with pytest.raises(ApplicationError, match="sedang diproses"):
        _request(operator_a, resident)


def test_koordinator_of_other_kelurahan_cannot_verify(
    resident, operator_a, kelurahan_b
):
    other = StaffFactory(role=Role.KOORDINATOR_PUSKESOS, kelurahan=kelurahan_b)
    sktm = _request(operator_a, resident)

    with pytest.raises(ApplicationError, match="bukan dari kelurahan Anda"):
        sktm_verify(actor=other, sktm=sktm)


def test_expiry_happens_the_day_after_the_last_valid_day(resident):
    sktm = issued_sktm(for_person=resident, issued_on=dt.date(2026, 1, 10))
    last_valid_day = sktm.valid_until

    assert sktm_expire_due(today=last_valid_day) == 0
    assert sktm_expire_due(today=last_valid_day + dt.timedelta(days=1)) == 1
    sktm.refresh_from_db()
    assert sktm.status == SktmStatus.EXPIRED
    assert sktm_expire_due(today=last_valid_day + dt.timedelta(days=2)) == 0


def test_revoked_sktm_cannot_be_revoked_again(resident, supervisor):
    sktm = issued_sktm(for_person=resident)
    sktm_revoke(actor=supervisor, sktm=sktm, reason="Data tidak benar")

    with pytest.raises(InvalidTransitionError):
        sktm_revoke(actor=supervisor, sktm=sktm, reason="Lagi")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_gives_unique_sequential_numbers(kelurahan_a):
    operator = StaffFactory(role=Role.OPERATOR_KELURAHAN, kelurahan=kelurahan_a)
    koordinator = StaffFactory(role=Role.KOORDINATOR_PUSKESOS, kelurahan=kelurahan_a)
    pending = []
    for i in range(8):
        resident = person(kelurahan=kelurahan_a, actor=operator, name=f"Warga {i}")
        pending.append(
            sktm_verify(actor=koordinator, sktm=_request(operator, resident))
        )
    errors: list[Exception] = []

    def issue(sktm: Sktm) -> None:
        try:
            sktm_issue(
                actor=koordinator,
                sktm=sktm,
                signed_by_name="Lurah",
                signed_by_nip="1",
                issued_on=dt.date(2026, 11, 3),
            )
        except Exception as exc:
            errors.append(exc)

    at_once(issue, pending)

    assert errors == []
    sequences = sorted(s or 0 for s in Sktm.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
