from __future__ import annotations

import pytest

from bpjs.models import Application, AppStatus, Coverage, Segment
from bpjs.services.applications import (
    application_approve,
    application_checks,
    application_reject,
    application_resubmit,
    application_submit,
    application_submit_household,
)
from core.exceptions import ApplicationError, InvalidTransitionError
from core.roles import Role
from registry.models import DomicileStatus
from registry.services.households import person_update
from tests.concurrency import at_once
from tests.factories.bpjs import eligible_person, facility, submitted
from tests.factories.core import StaffFactory
from tests.factories.registry import household, issued_sktm, person

pytestmark = pytest.mark.django_db


def _failed(resident):
    checks, _ = application_checks(person=resident)
    return {c.code: c.message for c in checks if not c.passed}


def test_eligible_resident_passes_every_check(kelurahan_a):
    resident = eligible_person(kelurahan_a)

    assert _failed(resident) == {}


def test_no_basis_fails_with_reason(kelurahan_a):
    resident = person(kelurahan=kelurahan_a)

    assert "Tidak terdaftar di DTKS" in _failed(resident)["eligible_basis"]


def test_moved_out_resident_fails_residency(kelurahan_a, operator_a):
    resident = eligible_person(kelurahan_a)
    resident = person_update(
        actor=operator_a,
        person=resident,
        version=resident.version,
        domicile_status=DomicileStatus.MOVED_OUT,
    )

    assert "Bukan warga aktif Balikpapan" in _failed(resident)["resident"]


def test_residency_comes_from_address_not_nik_digits(kelurahan_a):
    from tests.factories.registry import make_nik

    newcomer = eligible_person(
        kelurahan_a, nik=make_nik(district="357801")
    )  # Surabaya NIK

    assert "resident" not in _failed(newcomer)


def test_formally_employed_fails(kelurahan_a, operator_a):
    resident = eligible_person(kelurahan_a)
    resident = person_update(
        actor=operator_a,
        person=resident,
        version=resident.version,
        formally_employed=True,
    )

    assert "pekerja formal" in _failed(resident)["not_employed"]


def test_active_participant_of_another_segment_fails(kelurahan_a):
    import datetime as dt

    resident = eligible_person(kelurahan_a)
    Coverage.objects.create(
        person=resident, segment=Segment.PBI_APBN, start_date=dt.date(2024, 1, 1)
    )

    assert "PBI-JK" in _failed(resident)["not_covered"]


def test_duplicate_open_application_fails(kelurahan_a):
    resident = eligible_person(kelurahan_a)
    submitted(resident)

    assert "sedang diproses" in _failed(resident)["no_duplicate"]
    with pytest.raises(ApplicationError, match="sedang diproses"):
        submitted(resident)


def test_submission_stores_the_evidence(kelurahan_a):
    application = submitted(eligible_person(kelurahan_a))

    assert application.basis == "sktm"
    assert application.eligibility_evidence["sktm_number"]
    assert application.status == AppStatus.SUBMITTED


def test_submission_with_failing_check_is_refused(kelurahan_a, operator_a):
    resident = person(kelurahan=kelurahan_a, actor=operator_a)

    with pytest.raises(ApplicationError, match="tidak dapat dikirim"):
        application_submit(actor=operator_a, person=resident, facility=facility())
    assert not Application.objects.exists()


def test_whole_household_applies_members_that_pass(kelurahan_a, operator_a):
    home = household(kelurahan=kelurahan_a, actor=operator_a)
    head = person(in_household=home, actor=operator_a, name="Ayah", sex="L")
    child = person(
        in_household=home, actor=operator_a, name="Anak", relationship="anak"
    )
    issued_sktm(for_person=head, purpose="bpjs")

    created, skipped = application_submit_household(
        actor=operator_a, head=head, facility=facility()
    )

    assert [a.person for a in created] == [head]
    assert skipped[0][0] == child


def test_verifier_rejects_with_reason_and_kelurahan_resubmits(
    kelurahan_a, verifikator, operator_a
):
    application = submitted(eligible_person(kelurahan_a))
    application_reject(actor=verifikator, application=application, reason="KK buram")

    application = application_resubmit(
        actor=operator_a, application=application, note="KK dipindai ulang"
    )

    assert application.status == AppStatus.SUBMITTED
    steps = list(application.transitions.values_list("to_state", "actor_id"))
    assert steps[-2:] == [
        (AppStatus.REJECTED, verifikator.pk),
        (AppStatus.SUBMITTED, operator_a.pk),
    ]


def test_operator_cannot_approve(kelurahan_a, operator_a):
    application = submitted(eligible_person(kelurahan_a))

    with pytest.raises(ApplicationError, match="tidak berwenang"):
        application_approve(actor=operator_a, application=application)


def test_approving_twice_is_refused(kelurahan_a, verifikator):
    application = submitted(eligible_person(kelurahan_a))
    application_approve(actor=verifikator, application=application)

    with pytest.raises(InvalidTransitionError):
        application_approve(actor=verifikator, application=application)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approval_by_two_verifiers_gives_one_outcome(kelurahan_a):
    application = submitted(eligible_person(kelurahan_a))
    verifiers = [StaffFactory(role=Role.VERIFIKATOR_DINSOS) for _ in range(2)]
    outcomes: list[str] = []

    def approve(verifier):
        try:
            application_approve(actor=verifier, application=application)
            outcomes.append("ok")
        except InvalidTransitionError:
            outcomes.append("refused")

    at_once(approve, verifiers)

    assert sorted(outcomes) == ["ok", "refused"]
    application.refresh_from_db()
    assert application.status == AppStatus.APPROVED
    assert application.transitions.filter(to_state=AppStatus.APPROVED).count() == 1
